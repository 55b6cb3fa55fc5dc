package io.nightjar.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One family/engine/loss to try, with the hyper-parameters to search: {@code grid} holds the keys
 * given as lists of choices, {@code ranges} the keys given as {@code {min, max, scale}}; a key is
 * in one or the other. {@code engine} is null for linear models; {@code quantile} is set only for
 * the quantile loss.
 */
public record CandidateSpec(
    Family family,
    Engine engine,
    Loss loss,
    Double quantile,
    Map<GridKey, List<Double>> grid,
    Map<GridKey, GridRange> ranges) {
  public CandidateSpec {
    requireNonNull(family, "family is null");
    requireNonNull(loss, "loss is null");
    grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
    ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
  }

  /** A candidate whose every key is a list of choices. */
  public CandidateSpec(
      Family family, Engine engine, Loss loss, Double quantile, Map<GridKey, List<Double>> grid) {
    this(family, engine, loss, quantile, grid, Map.of());
  }

  /** Whether some key is a range, so that the grid cannot be listed point by point. */
  public boolean hasRanges() {
    return !ranges.isEmpty();
  }

  /**
   * A short label for progress lines and reports, e.g. {@code linear/squared} or {@code
   * gbt[xgboost]/huber}.
   */
  public String label() {
    String base = Choices.name(family) + (engine == null ? "" : "[" + Choices.name(engine) + "]");
    return base + "/" + Choices.name(loss) + (quantile == null ? "" : "@" + quantile);
  }
}
