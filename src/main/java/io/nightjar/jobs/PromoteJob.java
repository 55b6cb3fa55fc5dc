package io.nightjar.jobs;

import io.nightjar.config.Identifiers;
import io.nightjar.monitoring.Run;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelRegistry;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryErrors;
import io.nightjar.registry.RegistryException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code promote}: moves alias {@code production} of a model. Without a version the {@code
 * candidate} must pass the {@link PromotionGate}; the decision is recorded either way ({@code
 * promoted} or {@code rejected}, with both metrics), and running the gate again for the same
 * candidate and production version returns the recorded decision instead of deciding twice. With a
 * version, that version is promoted as asked.
 */
public final class PromoteJob {
  /** What happened: {@code event} is the recorded event, or null when nothing had to change. */
  public record Outcome(
      String model,
      int version,
      Integer previous,
      EventKind event,
      String reason,
      PromotionGate.Comparison comparison,
      boolean decidedEarlier) {
    public boolean promoted() {
      return event == EventKind.PROMOTED;
    }

    public String comparisonText() {
      return comparison == null ? null : comparison.describe();
    }
  }

  private final JobContext context;

  public PromoteJob(JobContext context) {
    this.context = context;
  }

  /** Promotes {@code version}, or the candidate through the gate when {@code version} is null. */
  public Outcome run(String model, Integer version, String reason, LocalDate date) {
    Identifiers.modelName("--model", model);
    context.ensureTables();
    return context.inRun(
        "promote",
        model,
        date,
        run -> version == null ? gate(model, reason, run) : explicit(model, version, reason));
  }

  private Outcome explicit(String model, int version, String reason) {
    ModelRegistry registry = context.registry();
    ModelVersion chosen = registry.require(model, version);
    String why = reason != null ? reason : "promoted explicitly";
    Outcome[] outcome = new Outcome[1];
    registry.commit(
        model,
        history -> {
          Integer current = history.production().orElse(null);
          if (current != null && current == version) {
            outcome[0] =
                new Outcome(model, version, current, null, "already in production", null, false);
            return List.of();
          }
          outcome[0] = new Outcome(model, version, current, EventKind.PROMOTED, why, null, false);
          return List.of(
              event(
                  chosen, EventKind.PROMOTED, current, why, chosen.evaluation().holdoutMetrics()));
        });
    return outcome[0];
  }

  private Outcome gate(String model, String reason, Run run) {
    ModelRegistry registry = context.registry();
    Progress progress = new Progress(context.progress(), "promote", model);
    ModelHistory history = registry.history(model);
    // A run killed between a history commit and the alias move left the aliases behind the history;
    // every commit brings them in line, and so does the gate when it has nothing to decide (it
    // commits nothing then).
    registry.syncAliases(history);
    int candidateNumber =
        history.candidate().orElseThrow(() -> unknownOrUntrained(registry, model));
    Integer productionNumber = history.production().orElse(null);
    ModelVersion candidate = registry.require(model, candidateNumber);
    if (productionNumber == null) {
      return explicit(
          model, candidateNumber, reason != null ? reason : "no version was in production");
    }
    if (productionNumber == candidateNumber) {
      return new Outcome(
          model,
          candidateNumber,
          productionNumber,
          null,
          "the candidate is already in production",
          null,
          false);
    }
    Optional<ModelEvent> earlier = history.decision(candidateNumber, productionNumber);
    if (earlier.isPresent()) {
      ModelEvent decided = earlier.get();
      return new Outcome(
          model, candidateNumber, productionNumber, decided.event(), decided.reason(), null, true);
    }
    ModelVersion production = registry.require(model, productionNumber);
    progress.say(
        "comparing candidate version %d with production version %d on the candidate's holdout rows",
        candidateNumber, productionNumber);
    PromotionGate.Comparison comparison =
        run.stage(
            "evaluate",
            () -> new PromotionGate(context).compare(candidate, production),
            c -> c.rows());
    EventKind event = comparison.passes() ? EventKind.PROMOTED : EventKind.REJECTED;
    String why =
        (reason != null ? reason + "; " : "")
            + (comparison.passes() ? "passed the gate: " : "lost the gate: ")
            + comparison.describe();
    registry.commit(
        model,
        now -> {
          Integer current = now.production().orElse(null);
          if (current == null || current != productionNumber) {
            throw new IllegalStateException(
                String.format(
                    "Cannot promote model '%s': production moved from version %d to %s while the gate ran; run"
                        + " promote again.",
                    model, productionNumber, current));
          }
          if (now.decision(candidateNumber, productionNumber).isPresent()) {
            return List.of();
          }
          return List.of(event(candidate, event, productionNumber, why, comparison.asMetrics()));
        });
    return new Outcome(model, candidateNumber, productionNumber, event, why, comparison, false);
  }

  private static RegistryException unknownOrUntrained(ModelRegistry registry, String model) {
    return registry.latestVersion(model) == 0
        ? RegistryErrors.unknownModel(model)
        : new RegistryException(
            String.format("Cannot promote model '%s': it has no candidate version.", model));
  }

  static ModelEvent event(
      ModelVersion version,
      EventKind event,
      Integer previous,
      String reason,
      Map<String, Double> metrics) {
    return new ModelEvent(
        version.modelName(),
        version.version(),
        event,
        previous,
        actor(),
        reason,
        Timestamp.from(Instant.now()),
        metrics,
        null);
  }

  /**
   * Who moved an alias: {@code $NIGHTJAR_ACTOR} (e.g. set by a scheduler to the DAG's owner), else
   * the OS user.
   */
  static String actor() {
    String actor = System.getenv("NIGHTJAR_ACTOR");
    return actor != null && !actor.isBlank() ? actor : System.getProperty("user.name");
  }
}
