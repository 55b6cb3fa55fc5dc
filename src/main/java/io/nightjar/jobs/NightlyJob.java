package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;

import io.nightjar.config.ConfigException;
import io.nightjar.config.Durations;
import io.nightjar.config.ModelSpec;
import io.nightjar.monitoring.Run;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ModelAliasesTable;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * {@code nightly --model SPEC --date D}: train → promotion gate → score → evaluate, as one run that
 * a scheduler can retry. Each step is idempotent for the model and date (train returns the version
 * already trained from the same spec and data; the gate returns its recorded decision; score and
 * evaluate replace the date's rows), so a retry after a crash at any step converges to the tables
 * of an uninterrupted run. Each step writes its own {@code runs} row, and the whole writes one with
 * job {@code nightly}. Evaluate runs when the spec has {@code monitoring.labels} and {@code
 * data.time}.
 *
 * <p>A train that fails, or passes {@code nightly.train_deadline} ({@link TrainDeadline}), does not
 * stop the night when the model has a production version: its row ends {@code failed} or {@code
 * timed_out} with the reason, the gate, score and evaluate run with what is in the registry, and
 * the nightly row ends {@code degraded}. A rerun for a date whose last nightly ended degraded (its
 * scores are written) does not train again unless asked to ({@code retrain}): a scheduler's retry
 * must not start a long train a second time. A model without a production version fails as before.
 * At its end the run brings the model's {@code alerts} in line ({@link StatusJob#refresh}).
 */
public final class NightlyJob {
  /**
   * What each step did; {@code trained} is null when the train failed, timed out or was skipped,
   * and {@code degraded} then says why (null on a full night); {@code evaluated} is null when the
   * spec does not monitor labels.
   */
  public record Outcome(
      TrainJob.Outcome trained,
      String degraded,
      PromoteJob.Outcome gate,
      ScoreJob.Outcome scored,
      EvaluateJob.Outcome evaluated) {}

  /** What the train step gave: a version, or why there is none (and the train's error). */
  private record TrainStep(TrainJob.Outcome trained, String reason, RuntimeException error) {
    static TrainStep untrained(String reason, RuntimeException error) {
      return new TrainStep(null, reason, error);
    }
  }

  /** How a rerun of a degraded date says why it does not train. */
  private static final String NOT_AGAIN = "not training again: ";

  private final JobContext context;

  public NightlyJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(ModelSpec spec, LocalDate date) {
    return run(spec, date, false);
  }

  /** {@code retrain}: train even when the date's last nightly ended degraded. */
  public Outcome run(ModelSpec spec, LocalDate date, boolean retrain) {
    spec.requireScoring();
    context.ensureTables();
    Progress progress = new Progress(context.progress(), "nightly", spec.name());
    String earlier = retrain ? null : degradedBefore(spec.name(), date);
    Run run = context.runs().start("nightly", spec.name(), date);
    Outcome outcome;
    try {
      long started = System.nanoTime();
      TrainStep train = earlier != null ? TrainStep.untrained(earlier, null) : train(spec, date);
      run.stage("train", (System.nanoTime() - started) / 1e9, null);
      TrainJob.Outcome trained = train.trained();
      String degraded = trained == null ? degrade(spec, train, progress) : null;
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
      if (degraded == null) {
        run.succeed();
      } else {
        run.end(RunStatus.DEGRADED, degraded);
      }
      outcome = new Outcome(trained, degraded, gate, scored, evaluated);
    } catch (
        Exception e) { // Spark throws checked exceptions undeclared: those too must end the run
      run.fail(e);
      refreshAlerts(spec.name(), progress);
      throw e;
    }
    refreshAlerts(spec.name(), progress);
    return outcome;
  }

  /**
   * Trains, within {@code nightly.train_deadline} when set; returns the train's outcome, or why
   * there is none when it failed or passed the deadline. Config errors are not the night's to
   * absorb: they are thrown.
   */
  private TrainStep train(ModelSpec spec, LocalDate date) {
    try {
      TrainJob.Outcome trained =
          spec.nightly().trainDeadline() == null
              ? new TrainJob(context).run(spec, date)
              : new DeadlinedTrain(context, new TrainDeadline(spec.nightly().trainDeadline()))
                  .run(spec, date);
      return new TrainStep(trained, null, null);
    } catch (ConfigException e) {
      throw e;
    } catch (TrainDeadline.Passed e) {
      return TrainStep.untrained(e.getMessage(), e);
    } catch (RuntimeException e) { // a data error or a Spark failure: production may still score
      String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
      return TrainStep.untrained("train failed: " + message, e);
    }
  }

  /**
   * The reason the night goes on without a new version, or the train's error when there is no
   * production version to go on with.
   */
  private String degrade(ModelSpec spec, TrainStep untrained, Progress progress) {
    boolean production =
        context.registry().alias(spec.name(), ModelAliasesTable.PRODUCTION).isPresent();
    if (!production) {
      if (untrained.error() instanceof TrainDeadline.Passed) {
        throw new IllegalStateException(
            String.format(
                "Cannot score model '%s': its first train was stopped at nightly.train_deadline (%s)"
                    + " and there is no production version to score with instead; raise the deadline"
                    + " or lower tuning.budget.",
                spec.name(), Durations.format(spec.nightly().trainDeadline())));
      }
      throw untrained.error() != null
          ? untrained.error()
          : new IllegalStateException(untrained.reason());
    }
    progress.say("%s; scoring with the production version", untrained.reason());
    return untrained.reason();
  }

  /**
   * The reason the latest finished nightly of {@code model} and {@code date} ended degraded, or
   * null when it did not (or there is none): then this run trains.
   */
  private String degradedBefore(String model, LocalDate date) {
    RunLog runs = context.runs();
    List<Row> last =
        runs.ofModel(model)
            .where(
                col(RunLog.JOB)
                    .equalTo("nightly")
                    .and(col(RunLog.LOGICAL_DATE).equalTo(Date.valueOf(date)))
                    .and(col(RunLog.FINISHED_AT).isNotNull()))
            .orderBy(col(RunLog.FINISHED_AT).desc())
            .select(RunLog.STATUS, RunLog.ERROR)
            .limit(1)
            .collectAsList();
    if (last.isEmpty() || RunStatus.fromSql(last.get(0).getString(0)) != RunStatus.DEGRADED) {
      return null;
    }
    String reason = last.get(0).getString(1);
    if (reason != null && reason.startsWith(NOT_AGAIN)) {
      return reason; // a rerun of a rerun: the first one's words
    }
    return NOT_AGAIN
        + "the nightly of "
        + date
        + " already scored with production ("
        + reason
        + "); rerun with --retrain to train";
  }

  /** Alerts are bookkeeping: a failure to write them is reported, and the run's result stands. */
  private void refreshAlerts(String model, Progress progress) {
    if (!context.registry().models().contains(model)) {
      return; // a model's first night that failed: nothing registered to judge yet
    }
    try {
      new StatusJob(context).refresh(model);
    } catch (Exception e) { // Spark throws checked exceptions undeclared: reported either way
      progress.say("could not update the alerts table (%s); `status` will", e.getMessage());
    }
  }
}
