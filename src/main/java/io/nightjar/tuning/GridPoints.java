package io.nightjar.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The points of a candidate's grid: the cartesian product of its value lists, in file order. */
public final class GridPoints {
  private GridPoints() {}

  public static List<Map<GridKey, Double>> expand(CandidateSpec candidate) {
    List<Map<GridKey, Double>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<GridKey, List<Double>> entry : candidate.grid().entrySet()) {
      List<Map<GridKey, Double>> next = new ArrayList<>();
      for (Map<GridKey, Double> point : points) {
        for (Double value : entry.getValue()) {
          Map<GridKey, Double> extended = new LinkedHashMap<>(point);
          extended.put(entry.getKey(), value);
          next.add(extended);
        }
      }
      points = next;
    }
    return points.stream().map(Collections::unmodifiableMap).toList();
  }

  /** A random sample of at most {@code count} items, the same for the same seed. */
  public static <T> List<T> sample(List<T> items, int count, long seed) {
    List<T> shuffled = new ArrayList<>(items);
    Collections.shuffle(shuffled, new Random(seed));
    return List.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
  }

  /**
   * Params as a string map for tables and reports, e.g. {@code {reg_param=0.01}}; whole numbers
   * without ".0".
   */
  public static Map<String, String> describe(Map<GridKey, Double> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((key, value) -> out.put(key.key(), format(value)));
    return out;
  }

  static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
