package io.nightjar.jobs;

import io.nightjar.config.ModelSpec;
import io.nightjar.monitoring.Run;
import java.time.LocalDate;

/**
 * {@code nightly --model SPEC --date D}: train → promotion gate → score → evaluate, as one run that
 * a scheduler can retry. Each step is idempotent for the model and date (train returns the version
 * already trained from the same spec and data; the gate returns its recorded decision; score and
 * evaluate replace the date's rows), so a retry after a crash at any step converges to the tables
 * of an uninterrupted run. Each step writes its own {@code runs} row, and the whole writes one with
 * job {@code nightly}. Evaluate runs when the spec has {@code monitoring.labels} and {@code
 * data.time}.
 */
public final class NightlyJob {
  /** What each step did; {@code evaluated} is null when the spec does not monitor labels. */
  public record Outcome(
      TrainJob.Outcome trained,
      PromoteJob.Outcome gate,
      ScoreJob.Outcome scored,
      EvaluateJob.Outcome evaluated) {}

  private final JobContext context;

  public NightlyJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(ModelSpec spec, LocalDate date) {
    spec.requireScoring();
    context.ensureTables();
    Run run = context.runs().start("nightly", spec.name(), date);
    try {
      TrainJob.Outcome trained =
          run.stage("train", () -> new TrainJob(context).run(spec, date), null);
      PromoteJob.Outcome gate =
          run.stage(
              "promote", () -> new PromoteJob(context).run(spec.name(), null, null, date), null);
      ScoreJob.Outcome scored =
          run.stage(
              "score", () -> new ScoreJob(context).run(spec, null, date), ScoreJob.Outcome::rows);
      boolean monitored =
          spec.monitoring() != null
              && spec.monitoring().labels() != null
              && spec.data().time() != null;
      EvaluateJob.Outcome evaluated =
          monitored
              ? run.stage(
                  "evaluate",
                  () -> new EvaluateJob(context).run(spec, date),
                  EvaluateJob.Outcome::labelledRows)
              : null;
      run.succeed();
      return new Outcome(trained, gate, scored, evaluated);
    } catch (
        Exception e) { // Spark throws checked exceptions undeclared: those too must end the run
      run.fail(e);
      throw e;
    }
  }
}
