package io.nightjar.jobs;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Choices;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.TrainingFrame;
import io.nightjar.monitoring.Run;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.Recipe;
import io.nightjar.registry.RegistryException;
import io.nightjar.training.Trainer;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code train --reproduce NAME --version N}: fits version N's recorded winning configuration
 * again, from its recorded spec and the training data as it was at the recorded Delta version (time
 * travel), on the same holdout split, and reports each holdout metric next to the recorded one.
 * Registers nothing: it answers "can this version be rebuilt, and does it come out the same".
 */
public final class ReproduceJob {
  /**
   * Recorded and reproduced holdout metrics; {@code dataPinned} is false when the source is not a
   * Delta table.
   */
  public record Outcome(
      ModelVersion original,
      Map<String, Double> recorded,
      Map<String, Double> reproduced,
      boolean dataPinned,
      long trainingRows,
      double seconds) {
    /** Reproduced minus recorded, per metric. */
    public Map<String, Double> differences() {
      Map<String, Double> out = new LinkedHashMap<>();
      reproduced.forEach(
          (name, value) -> {
            Double before = recorded.get(name);
            out.put(name, before == null ? Double.NaN : value - before);
          });
      return out;
    }
  }

  private final JobContext context;

  public ReproduceJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(String model, int versionNumber, LocalDate date) {
    context.ensureTables();
    ModelVersion version = context.registry().require(model, versionNumber);
    Progress progress = new Progress(context.progress(), "reproduce", model);
    return context.inRun(
        "reproduce", model, date, run -> reproduce(model, version, versionNumber, progress, run));
  }

  private Outcome reproduce(
      String model, ModelVersion version, int versionNumber, Progress progress, Run run) {
    ModelSpec spec =
        SpecLoader.parse(
            version.artifact().specYaml(),
            "model " + model + " version " + versionNumber + " (recorded spec)",
            context.env().database());
    if (version.trainingData().deltaVersion() == null) {
      progress.say(
          "%s is not a Delta table: reading it as it is now, which may differ from what version %d saw",
          version.trainingData().source(), versionNumber);
    }
    SourceSnapshot source =
        run.stage(
            "read",
            () ->
                new SourceReader(context.spark())
                    .read(
                        "data.training",
                        spec.data().training(),
                        version.trainingData().deltaVersion()),
            null);
    TrainingFrame frame =
        run.stage(
            "prepare", () -> TrainingFrame.prepare(spec, source.rows()), TrainingFrame::rowCount);
    CandidateSpec candidate = candidate(spec, version);
    Map<GridKey, Double> params = params(version);
    progress.say(
        "refitting %s %s on %d rows (version %s of %s)",
        candidate.label(),
        version.recipe().params(),
        frame.rowCount(),
        source.deltaVersion(),
        source.description());
    Trainer.Refit refit =
        run.stage(
            "fit", () -> new Trainer(spec).refit(frame, candidate, params), r -> r.trainingRows());
    Map<String, Double> reproduced = new LinkedHashMap<>();
    refit.holdoutMetrics().forEach((metric, value) -> reproduced.put(Choices.name(metric), value));
    return new Outcome(
        version,
        version.evaluation().holdoutMetrics(),
        reproduced,
        version.trainingData().deltaVersion() != null,
        refit.trainingRows(),
        refit.seconds());
  }

  /** The spec candidate the version's winning configuration came from. */
  private static CandidateSpec candidate(ModelSpec spec, ModelVersion version) {
    Recipe recipe = version.recipe();
    for (CandidateSpec candidate : spec.candidates()) {
      boolean same =
          candidate.family() == recipe.family()
              && candidate.engine() == recipe.engine()
              && candidate.loss() == recipe.loss()
              && Objects.equals(candidate.quantile(), recipe.quantile());
      if (same) {
        return candidate;
      }
    }
    throw new RegistryException(
        String.format(
            "Cannot reproduce model '%s' version %d: its recorded spec has no candidate %s/%s.",
            version.modelName(),
            version.version(),
            Choices.name(recipe.family()),
            Choices.name(recipe.loss())));
  }

  private static Map<GridKey, Double> params(ModelVersion version) {
    Map<GridKey, Double> out = new LinkedHashMap<>();
    version
        .recipe()
        .params()
        .forEach(
            (key, value) ->
                out.put(Choices.parse("params", key, GridKey.class), Double.valueOf(value)));
    return out;
  }
}
