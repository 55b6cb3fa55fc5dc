package io.nightjar.tuning;

import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TuningSpec;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.tuning.bayes.Observation;
import io.nightjar.tuning.bayes.Tpe;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.SparkSession;

/**
 * {@code search: bayes}: the model-based search of {@link KFoldSearch}, which proposes each batch
 * of configurations from a {@link Tpe} model of the metric fitted on the trials so far and, with
 * warm start, on the model's past nights ({@link SearchHistory}).
 */
final class BayesSearch {
  /** At most this many random proposals before the model is used. */
  static final int MAX_STARTUP = 10;

  private final ModelSpec spec;
  private final ResumedTrials resumed;
  private final List<HistoricTrial> history;
  private final LocalDate today;

  BayesSearch(ModelSpec spec, ResumedTrials resumed, List<HistoricTrial> history, LocalDate today) {
    this.spec = spec;
    this.resumed = resumed;
    this.history = history;
    this.today = today;
  }

  /**
   * Proposes {@code max_trials} configurations in batches of one per task slot (each batch's groups
   * run as {@code random}'s do, their folds concurrently), each batch from a {@link Tpe} fitted on
   * the past trials ({@link SearchHistory}, with warm start) and this run's finished ones.
   * Uniformly random until there are {@link #startup} observations: the first night searches at
   * random within the ranges. A proposal evaluated already tonight is replaced by an unseen uniform
   * draw. Seeded by the spec's seed and the number of proposals made, so that a rerun that reuses a
   * killed attempt's trials ({@link ResumedTrials}) proposes the same points.
   */
  KFoldSearch.Outcome run(TrialEvaluator evaluator, SearchBudget budget, TuningListener listener) {
    TuningSpec tuning = spec.tuning();
    Metric metric = tuning.metric();
    SearchSpace space = new SearchSpace(spec.candidates());
    SearchHistory past =
        tuning.warmStart() && today != null
            ? SearchHistory.of(space, history, today, budget.cost())
            : SearchHistory.NONE;
    int group = today == null ? 0 : (int) today.toEpochDay();
    Tpe tpe = new Tpe(space.dimensions(), startup(tuning.maxTrials()));
    int batch = Math.max(1, SparkSession.active().sparkContext().defaultParallelism());
    List<Trial> trials = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int total = tuning.maxTrials();
    for (int proposed = 0; proposed < total; ) {
      int size = Math.min(batch, total - proposed);
      List<Observation> observed = new ArrayList<>(past.observations(metric));
      for (Trial trial : trials) {
        double[] x = space.coordinates(trial.candidateIndex(), trial.params());
        if (trial.done() && !Double.isNaN(trial.mean()) && x != null) {
          observed.add(new Observation(x, metric.asLoss(trial.mean()), 1.0, group));
        }
      }
      long seed = tuning.seed() * 1_000_003L + proposed;
      Random redraws = new Random(seed);
      List<KFoldSearch.Point> pending = new ArrayList<>();
      int fresh = 0;
      for (double[] x : tpe.propose(observed, size, seed)) {
        KFoldSearch.Point point = space.point(x);
        for (int draw = 0; seen.contains(point.key()) && draw < 100; draw++) {
          point = space.uniform(redraws);
        }
        if (!seen.add(point.key())) {
          continue;
        }
        fresh++;
        Trial reused = resumed.done(point, 0);
        if (reused == null) {
          pending.add(point);
        } else {
          KFoldSearch.report(trials, reused, total, budget.clock(), Duration.ZERO, listener);
        }
      }
      if (fresh == 0) {
        // Every configuration of a small space of choices has been evaluated.
        break;
      }
      for (List<KFoldSearch.Point> points : evaluator.groups(pending)) {
        if (!budget.allows(points, trials)) {
          return new KFoldSearch.Outcome(trials, true);
        }
        List<Trial> results = evaluator.evaluate(points, 1.0, 0);
        budget.measured(points, results, 1.0, KFoldSearch.best(trials, results, tuning.metric()));
        for (Trial trial : results) {
          KFoldSearch.report(
              trials,
              trial,
              total,
              budget.clock(),
              budget.clock().remaining(trials.size() + 1, total),
              listener);
        }
      }
      listener.checkpoint(false);
      proposed += size;
    }
    return new KFoldSearch.Outcome(trials, false);
  }

  /** How many observations {@code bayes} wants before it uses its model. */
  static int startup(int maxTrials) {
    return Math.max(2, Math.min(MAX_STARTUP, maxTrials / 3));
  }
}
