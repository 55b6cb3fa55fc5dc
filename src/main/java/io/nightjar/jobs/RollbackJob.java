package io.nightjar.jobs;

import io.nightjar.config.Identifiers;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelRegistry;
import io.nightjar.registry.RegistryException;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code rollback}: moves alias {@code production} back to the version that held it before the
 * current one, recorded as {@code rolled_back}. Rolling back again continues down the same history
 * (see {@link io.nightjar.registry.ModelHistory}).
 */
public final class RollbackJob {
  /** The version production returned to, and the one it left. */
  public record Outcome(String model, int version, int previous, String reason) {}

  private final JobContext context;

  public RollbackJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(String model, String reason, LocalDate date) {
    Identifiers.modelName("--model", model);
    context.ensureTables();
    ModelRegistry registry = context.registry();
    registry.requireModel(model);
    return context.inRun("rollback", model, date, run -> rollBack(registry, model, reason));
  }

  private Outcome rollBack(ModelRegistry registry, String model, String reason) {
    String why = reason != null ? reason : "rolled back";
    Outcome[] outcome = new Outcome[1];
    registry.commit(
        model,
        history -> {
          int current =
              history
                  .production()
                  .orElseThrow(
                      () ->
                          new RegistryException(
                              String.format(
                                  "Cannot roll back model '%s': no version is in production.",
                                  model)));
          int target =
              history
                  .previousProduction()
                  .orElseThrow(
                      () ->
                          new RegistryException(
                              String.format(
                                  "Cannot roll back model '%s': version %d is the first version that held production,"
                                      + " so there is none before it; promote a version with 'promote --version N'.",
                                  model, current)));
          outcome[0] = new Outcome(model, target, current, why);
          var restored = registry.require(model, target);
          return List.of(
              PromoteJob.event(
                  restored,
                  EventKind.ROLLED_BACK,
                  current,
                  why,
                  restored.evaluation().holdoutMetrics()));
        });
    return outcome[0];
  }
}
