package io.nightjar.jobs;

import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Search;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.TrainingFrame;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.Predictions;
import io.nightjar.monitoring.Baseline;
import io.nightjar.monitoring.Run;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.Artifact;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.Evaluation;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.FeatureSchema;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelRegistry;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.Packages;
import io.nightjar.registry.PastTrial;
import io.nightjar.registry.Provenance;
import io.nightjar.registry.Recipe;
import io.nightjar.registry.TrainingAttempt;
import io.nightjar.registry.TrainingCost;
import io.nightjar.registry.TrainingData;
import io.nightjar.registry.TrialStatus;
import io.nightjar.training.HoldoutDiagnostics;
import io.nightjar.training.Trainer;
import io.nightjar.training.TrainingResult;
import io.nightjar.tuning.GridPoints;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TrialRecorder;
import io.nightjar.tuning.TuningListener;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code train}: reads the training data, tunes every candidate, refits the best, evaluates it on
 * the holdout, saves the artifact and registers a new version with alias {@code candidate}. The
 * first version of a model also becomes {@code production}. Rerunning for the same date with the
 * same spec and the same training data version returns the version already registered instead of
 * training again.
 */
public final class TrainJob {
  /**
   * What a train run produced; {@code reused} when an identical earlier run's version was returned.
   */
  public record Outcome(
      ModelVersion version, boolean reused, boolean promoted, TrainingResult result) {}

  /** How many of a model's best past configurations a warm-started search tries first. */
  static final int WARM_START_SEEDS = 5;

  /**
   * How long trial rows may wait to be written: they are written at search checkpoints once this
   * has passed since the last write, and at the end. A killed run loses at most this much tuning
   * work (plus the group in progress).
   */
  static final Duration TRIAL_COMMIT_INTERVAL = Duration.ofSeconds(20);

  private final JobContext context;
  private final Duration trialCommitInterval;
  private final TrainDeadline deadline;

  public TrainJob(JobContext context) {
    this(context, TRIAL_COMMIT_INTERVAL, null);
  }

  TrainJob(JobContext context, Duration trialCommitInterval) {
    this(context, trialCommitInterval, null);
  }

  /** A train that {@code nightly} may stop at {@code deadline} (null: none). */
  TrainJob(JobContext context, TrainDeadline deadline) {
    this(context, TRIAL_COMMIT_INTERVAL, deadline);
  }

  private TrainJob(JobContext context, Duration trialCommitInterval, TrainDeadline deadline) {
    this.context = context;
    this.trialCommitInterval = trialCommitInterval;
    this.deadline = deadline;
  }

  public Outcome run(ModelSpec spec, LocalDate date) {
    ModelFamilies.check(spec);
    context.ensureTables();
    Progress progress = new Progress(context.progress(), "train", spec.name());
    Run run = context.runs().start("train", spec.name(), date);
    if (deadline != null) {
      deadline.attach(run);
    }
    try {
      Outcome outcome = train(spec, date, run, progress);
      run.succeed();
      return outcome;
    } catch (
        Exception e) { // Spark throws checked exceptions undeclared: those too must end the run
      if (stopped()) {
        // Whatever failed after the stop (a cancelled Spark job, an interrupted wait) is its
        // effect.
        deadline.awaitCancelled();
        Thread.interrupted(); // the stop's interrupt must not break the wait for the row's commit
        run.end(RunStatus.TIMED_OUT, deadline.reason());
        throw new TrainDeadline.Passed(deadline.reason());
      }
      run.fail(e);
      throw e;
    }
  }

  private boolean stopped() {
    return deadline != null && deadline.stopped();
  }

  /** Throws when {@code nightly} stopped this train at its deadline. */
  private void checkDeadline() {
    if (deadline != null) {
      deadline.check();
    }
  }

  /**
   * Called before the first registry write: from here on the deadline cannot stop this train (the
   * commits take seconds), so a version is registered whole or not at all.
   */
  private void enterCommit() {
    if (deadline != null && !deadline.enterCommit()) {
      deadline.check();
    }
  }

  private Outcome train(ModelSpec spec, LocalDate date, Run run, Progress progress) {
    ModelRegistry registry = context.registry();
    SourceSnapshot source =
        run.stage(
            "read",
            () -> new SourceReader(context.spark()).read("data.training", spec.data().training()),
            null);
    Optional<ModelVersion> earlier =
        registry.findSameTraining(
            spec.name(), Date.valueOf(date), spec.sha256(), source.deltaVersion());
    if (earlier.isPresent()) {
      ModelVersion version = earlier.get();
      progress.say(
          "version %d was already trained for %s from the same spec and data version; not training"
              + " again",
          version.version(), date);
      // A run that died between registering and publishing left the version without its events and
      // aliases.
      enterCommit();
      boolean promoted = publish(registry, version, version.provenance().runId());
      return new Outcome(version, true, promoted, null);
    }
    TrainingFrame frame =
        run.stage(
            "prepare", () -> TrainingFrame.prepare(spec, source.rows()), TrainingFrame::rowCount);
    progress.say(
        "%d rows from %s (version %s)",
        frame.rowCount(), source.description(), source.deltaVersion());
    TrainingAttempt attempt =
        new TrainingAttempt(spec.name(), date, spec.sha256(), source.deltaVersion());
    // bayes learns from every past trial (history below) instead of putting a few first.
    List<String> warmStart =
        spec.tuning().warmStart() && spec.tuning().search() != Search.BAYES
            ? context
                .trials()
                .bestPast(spec.name(), spec.tuning().metric(), WARM_START_SEEDS, attempt)
            : List.of();
    if (!warmStart.isEmpty()) {
      progress.say("warm start: %d best past configurations go first", warmStart.size());
    }
    List<PastTrial> resumed = context.trials().recorded(attempt);
    if (!resumed.isEmpty()) {
      progress.say(
          "resuming: an earlier attempt (run %s) recorded %d trials for this date, spec and data"
              + " version; finished ones are reused",
          resumed.get(resumed.size() - 1).runId(), resumed.size());
    }
    List<HistoricTrial> history =
        spec.tuning().warmStart() && spec.tuning().search() == Search.BAYES
            ? context.trials().history(spec.name(), spec.tuning().metric(), attempt)
            : List.of();
    if (!history.isEmpty()) {
      progress.say("warm start: the search learns from %d past trials", history.size());
    }
    TrialRecorder recorder =
        new TrialRecorder(
            context.trials(), attempt, run.id(), spec.tuning().metric(), trialCommitInterval);
    TrainingResult result;
    try {
      result =
          new Trainer(spec)
              .train(frame, warmStart, resumed, history, date, listener(spec, recorder, progress));
    } catch (
        Exception e) { // a Spark job cancelled at the deadline fails with a checked SparkException
      if (stopped()) {
        writeFinishedTrials(recorder);
      }
      throw e;
    }
    run.stage("tune", result.tuningSeconds(), (long) result.trainingRows());
    run.stage("fit", result.fitSeconds(), (long) result.trainingRows());
    run.stage("evaluate", result.evaluateSeconds(), (long) result.holdoutRows());
    checkDeadline();
    String artifact =
        run.stage(
            "write",
            () -> context.artifacts().save(spec.name(), run.id(), result.model(), spec.yaml()),
            null);
    run.stage(
        "baseline",
        () -> {
          // Distributions that evaluate compares later scoring inputs and predictions with (feature
          // drift, PSI), measured on a seeded sample of at most Baseline.SAMPLE_ROWS rows.
          // Baseline.measure passes over the rows and the predictions twice each: cache both for
          // the stage.
          var all = frame.rows();
          var sampled =
              frame.rowCount() <= Baseline.SAMPLE_ROWS
                  ? all
                  : all.sample(
                      false,
                      (double) Baseline.SAMPLE_ROWS / frame.rowCount(),
                      spec.tuning().seed());
          var rows = sampled.persist(StorageLevel.MEMORY_AND_DISK());
          String column =
              spec.task() == Task.CLASSIFICATION ? Columns.PROBABILITY : Columns.PREDICTION;
          var scored =
              Predictions.predict(result.model(), spec.task(), rows)
                  .select(column)
                  .persist(StorageLevel.MEMORY_AND_DISK());
          try {
            Baseline baseline =
                Baseline.measure(rows, frame.features(), frame.categorical(), scored, column);
            context.artifacts().saveDocument(artifact, ArtifactStore.BASELINE, baseline.toJson());
          } finally {
            scored.unpersist();
            rows.unpersist();
          }
          return frame.rowCount();
        },
        n -> n);
    run.stage(
        "diagnostics",
        () -> {
          // Holdout sample and permutation importance for the training report.
          var diagnostics =
              HoldoutDiagnostics.measure(
                  spec,
                  frame,
                  result.model(),
                  spec.tuning().metric(),
                  result.best().candidate().quantile());
          context
              .artifacts()
              .saveDocument(artifact, ArtifactStore.DIAGNOSTICS, diagnostics.toJson());
          return (long) diagnostics.labels().length;
        },
        n -> n);
    ModelVersion draft = describe(spec, date, run.id(), source, frame, result, artifact);
    enterCommit();
    int version = run.stage("register", () -> registry.register(draft), null);
    ModelVersion registered = registry.require(spec.name(), version);
    String registeredBy = registered.provenance().runId();
    if (!registeredBy.equals(run.id())) {
      // A concurrent run of the same training registered first: this run's artifact stays
      // unreferenced.
      progress.say(
          "version %d of the same spec, date and data version was registered by a concurrent run (%s);"
              + " using it",
          version, registeredBy);
      boolean promoted = publish(registry, registered, registeredBy);
      return new Outcome(registered, true, promoted, result);
    }
    boolean promoted = run.stage("publish", () -> publish(registry, registered, run.id()), null);
    progress.say(
        "registered version %d: %s %s, holdout %s%s",
        version,
        result.best().candidate().label(),
        GridPoints.describe(result.best().params()),
        metrics(registered.evaluation().holdoutMetrics()),
        promoted ? "; promoted to production (first version)" : "");
    report(registered, run, progress);
    return new Outcome(registered, false, promoted, result);
  }

  /**
   * Writes the version's training report and prints its path. A report that cannot be written (a
   * full disk, a read-only directory) is reported and does not fail the run: the version is
   * registered and usable, and {@code report} can write it later.
   */
  private void report(ModelVersion version, Run run, Progress progress) {
    try {
      Path path = run.stage("report", () -> new ReportJob(context).writeTraining(version), null);
      progress.say("training report: %s", path);
    } catch (
        Exception
            e) { // Spark throws checked exceptions undeclared: a failed report is reported either
      // way
      progress.say(
          "could not write the training report (%s); run `nightjar report --model %s --version %d`"
              + " later",
          e.getMessage(), version.modelName(), version.version());
    }
  }

  private TuningListener listener(ModelSpec spec, TrialRecorder recorder, Progress progress) {
    Metric metric = spec.tuning().metric();
    // The recorder hears of trials only at checkpoints (whole groups or halving rungs), so that a
    // train stopped at its deadline can write what it holds as a state the next attempt resumes
    // from, and drop the group it was in.
    List<Trial> sinceCheckpoint = new ArrayList<>();
    return new TuningListener() {
      @Override
      public void trialFinished(
          Trial trial, int number, int total, Duration elapsed, Duration remaining) {
        stopAtDeadline(recorder);
        sinceCheckpoint.add(trial);
        progress.step(
            number,
            total,
            remaining,
            "trial %s %s: %s%s",
            trial.candidate().label(),
            GridPoints.describe(trial.params()),
            trial.status() == TrialStatus.FAILED
                ? "failed: " + trial.error()
                : Double.isNaN(trial.mean())
                    ? "pruned, " + trial.error()
                    : String.format(
                        "%s %.5g ± %.2g (%.1fs)%s",
                        Choices.name(metric),
                        trial.mean(),
                        trial.std(),
                        trial.seconds(),
                        trial.done() ? "" : ", pruned on a share of the rows"),
            trial.resumedFrom() == null ? "" : " (resumed from run " + trial.resumedFrom() + ")");
      }

      @Override
      public void checkpoint(boolean last) {
        sinceCheckpoint.forEach(recorder::add);
        sinceCheckpoint.clear();
        stopAtDeadline(recorder);
        recorder.checkpoint(last);
      }
    };
  }

  /**
   * Once the train is stopped: writes the trials of the whole groups finished so far (the next
   * attempt reuses them) and throws {@link TrainDeadline.Passed}.
   */
  private void stopAtDeadline(TrialRecorder recorder) {
    if (!stopped()) {
      return;
    }
    writeFinishedTrials(recorder);
    deadline.check();
  }

  /**
   * Writes what the recorder holds, the trials of whole groups finished before the stop, so that
   * the next attempt reuses them; a write that fails is reported, not thrown.
   */
  private void writeFinishedTrials(TrialRecorder recorder) {
    deadline.awaitCancelled();
    // The stop cancelled this thread's Spark jobs and interrupted it: this write must not be.
    Thread.interrupted();
    context.spark().sparkContext().clearJobGroup();
    try {
      recorder.checkpoint(true);
    } catch (
        Exception e) { // Spark throws checked exceptions undeclared: a lost write is reported only
      context
          .progress()
          .printf(
              "could not write the finished trials of the stopped train (%s); the next attempt"
                  + " evaluates them again%n",
              e.getMessage());
    }
  }

  /**
   * Records the version in the history ({@code registered}, which makes it the {@code candidate})
   * and, for a model without a production version, promotes it; returns true when it did. Runs
   * again safely: a version already in the history is not recorded twice, and the aliases are
   * brought in line either way.
   */
  private boolean publish(ModelRegistry registry, ModelVersion version, String runId) {
    String model = version.modelName();
    String actor = version.provenance().author();
    Map<String, Double> metrics = version.evaluation().holdoutMetrics();
    boolean[] promoted = {false};
    registry.commit(
        model,
        history -> {
          promoted[0] = false;
          if (history.registered(version.version())) {
            return List.of();
          }
          Timestamp now = Timestamp.from(Instant.now());
          List<ModelEvent> events = new ArrayList<>();
          events.add(
              new ModelEvent(
                  model,
                  version.version(),
                  EventKind.REGISTERED,
                  null,
                  actor,
                  "trained",
                  now,
                  metrics,
                  runId));
          if (history.production().isEmpty()) {
            promoted[0] = true;
            events.add(
                new ModelEvent(
                    model,
                    version.version(),
                    EventKind.PROMOTED,
                    null,
                    actor,
                    "first version of the model",
                    new Timestamp(now.getTime() + 1),
                    metrics,
                    runId));
          }
          return events;
        });
    return promoted[0];
  }

  private static ModelVersion describe(
      ModelSpec spec,
      LocalDate date,
      String runId,
      SourceSnapshot source,
      TrainingFrame frame,
      TrainingResult result,
      String artifact) {
    Trial best = result.best();
    var candidate = best.candidate();
    Map<String, Double> holdout = new LinkedHashMap<>();
    result.holdoutMetrics().forEach((metric, value) -> holdout.put(Choices.name(metric), value));
    return new ModelVersion(
        spec.name(),
        0,
        new Provenance(
            runId,
            // Delta stores microseconds: truncate so the registered row equals what is read back.
            Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)),
            Date.valueOf(date),
            spec.owner() != null ? spec.owner() : System.getProperty("user.name")),
        new Recipe(
            spec.task(),
            candidate.family(),
            candidate.engine(),
            candidate.loss(),
            candidate.quantile(),
            GridPoints.describe(best.params())),
        new FeatureSchema(
            frame.features(),
            frame.categorical(),
            spec.data().id(),
            spec.data().label(),
            spec.data().weight()),
        new TrainingData(
            source.description(),
            source.deltaVersion(),
            result.trainingRows(),
            result.holdoutRows()),
        new Evaluation(spec.tuning().metric(), best.mean(), best.std(), holdout),
        new TrainingCost(
            result.tuningSeconds(),
            result.tuningSeconds() + result.fitSeconds(),
            result.budgetExhausted()),
        new Artifact(artifact, Packages.onClasspath(), spec.yaml(), spec.sha256()));
  }

  /**
   * Metrics as {@code name=value, ...} in name order (the stored maps have no order), 5 significant
   * digits.
   */
  public static String metrics(Map<String, Double> metrics) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(metrics)
        .forEach(
            (name, value) ->
                out.append(out.length() == 0 ? "" : ", ")
                    .append(name)
                    .append(String.format("=%.5g", value)));
    return out.toString();
  }
}
