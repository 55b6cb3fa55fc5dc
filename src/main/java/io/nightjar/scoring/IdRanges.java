package io.nightjar.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/** Overlap of closed [min, max] id ranges, e.g. of the data files of one partition. */
final class IdRanges {
  private IdRanges() {}

  /**
   * The largest number of {@code ranges} that contain one common value (0 for none): a sweep over
   * the ranges sorted by their start, counting the ranges still open. Ranges that touch at an end
   * overlap (both contain that value).
   */
  static <T extends Comparable<Object>> int maxOverlap(List<T[]> ranges) {
    List<T[]> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(range -> range[0]));
    // Ends of the ranges still open, smallest first.
    PriorityQueue<T> open = new PriorityQueue<>();
    int most = 0;
    for (T[] range : sorted) {
      while (!open.isEmpty() && open.peek().compareTo(range[0]) < 0) {
        open.poll();
      }
      open.add(range[1]);
      most = Math.max(most, open.size());
    }
    return most;
  }
}
