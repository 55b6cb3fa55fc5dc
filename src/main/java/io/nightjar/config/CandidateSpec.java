package io.nightjar.config;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One family/engine/loss to try, with the grid of hyper-parameters to search. {@code engine} is
 * null for linear models; {@code quantile} is set only for the quantile loss.
 */
public record CandidateSpec(
    Family family, Engine engine, Loss loss, Double quantile, Map<GridKey, List<Double>> grid) {
  public CandidateSpec {
    requireNonNull(family, "family is null");
    requireNonNull(loss, "loss is null");
    grid = Collections.unmodifiableMap(new LinkedHashMap<>(grid));
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
