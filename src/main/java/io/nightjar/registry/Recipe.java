package io.nightjar.registry;

import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Task;
import java.util.Map;

/**
 * What a {@link ModelVersion} fitted: the task and the winning configuration (family, engine, loss,
 * quantile and its grid point as text, e.g. {@code reg_param=0.1}). {@code engine} is null for
 * families without an engine choice, {@code quantile} unless the loss is {@code quantile}.
 */
public record Recipe(
    Task task,
    Family family,
    Engine engine,
    Loss loss,
    Double quantile,
    Map<String, String> params) {
  public Recipe {
    params = Map.copyOf(params);
  }
}
