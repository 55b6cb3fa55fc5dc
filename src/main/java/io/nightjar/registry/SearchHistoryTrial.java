package io.nightjar.registry;

import java.time.LocalDate;
import java.util.Map;

/**
 * A finished trial in a version's search history ({@link TrialsTable#searchHistory}): its night,
 * its parameters as recorded, its mean metric, and whether it came from an earlier night's run
 * (what a warm-started search learned from) rather than from the version's own run.
 */
public record SearchHistoryTrial(
    LocalDate logicalDate, Map<String, String> params, double mean, boolean earlier) {
  public SearchHistoryTrial {
    params = Map.copyOf(params);
  }
}
