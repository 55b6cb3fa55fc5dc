package io.nightjar.train.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Search;
import io.nightjar.config.TuningSpec;
import io.nightjar.data.Columns;
import io.nightjar.train.FeaturePlan;
import io.nightjar.train.Metrics;
import io.nightjar.train.ModelFamilies;
import io.nightjar.train.Predictions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.nightjar.train.ModelFamily;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * k-fold cross-validated search over every candidate's grid. {@code grid} evaluates every point; {@code random}
 * evaluates {@code max_trials} points sampled with the seed; {@code halving} (successive halving, factor {@value
 * #ETA}) evaluates many points on a share of each fold's training rows and gives more rows to the best third, rung by
 * rung, until the survivors are evaluated on all rows. With warm start, the configurations that did best in this
 * model's past runs come first. Feature preparation is fitted once per fold and family and its output cached ({@link
 * PreparedFolds}); each trial then fits only its estimator. When the spec's {@code budget} runs out, the search stops
 * between evaluations and the trials finished so far decide.
 */
public final class KFoldSearch {
  /** Successive halving keeps the best 1/ETA of the configurations at each rung. */
  public static final int ETA = 3;

  /** The smallest share of rows a halving rung trains on. */
  static final double MIN_SHARE = 0.1;

  /** A configuration to evaluate: which candidate, and which point of its grid. */
  public record Point(int candidateIndex, CandidateSpec candidate, Map<GridKey, Double> params) {
    /** Identifies the configuration across runs, e.g. {@code linear/squared {reg_param=0.1}}. */
    public String key() {
      return key(candidate.label(), GridPoints.describe(params));
    }

    public static String key(String candidateLabel, Map<String, String> params) {
      return candidateLabel + " " + new java.util.TreeMap<>(params);
    }
  }

  /** What the search found: every trial, and whether the budget stopped it early. */
  public record Outcome(List<Trial> trials, boolean budgetExhausted) {}

  private final ModelSpec spec;
  private final FeaturePlan plan;
  private final boolean weighted;
  private final List<String> warmStart;

  /**
   * @param warmStart keys ({@link Point#key()}) of past configurations to evaluate first, best first; empty for none
   */
  public KFoldSearch(ModelSpec spec, FeaturePlan plan, boolean weighted, List<String> warmStart) {
    this.spec = spec;
    this.plan = plan;
    this.weighted = weighted;
    this.warmStart = List.copyOf(warmStart);
  }

  /** The configurations the spec's search will evaluate, in order: warm-start seeds first. */
  public List<Point> points() {
    List<Point> all = new ArrayList<>();
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      for (Map<GridKey, Double> params : GridPoints.expand(candidate)) {
        all.add(new Point(i, candidate, params));
      }
    }
    Map<String, Point> byKey = new java.util.LinkedHashMap<>();
    all.forEach(point -> byKey.putIfAbsent(point.key(), point));
    List<Point> seeds = new ArrayList<>();
    for (String key : warmStart) {
      Point seed = byKey.get(key);
      if (seed != null && !seeds.contains(seed)) {
        seeds.add(seed);
      }
    }
    List<Point> rest = all.stream().filter(point -> !seeds.contains(point)).toList();
    TuningSpec tuning = spec.tuning();
    List<Point> out = new ArrayList<>(seeds);
    if (tuning.search() == Search.GRID) {
      out.addAll(rest);
      return out;
    }
    int room = Math.max(0, tuning.maxTrials() - seeds.size());
    out.addAll(GridPoints.sample(rest, room, tuning.seed()));
    return out.subList(0, Math.min(out.size(), tuning.maxTrials()));
  }

  /** Evaluates {@link #points()} on {@code tuningRows} (which carry {@link Columns#FOLD}). */
  public Outcome run(Dataset<Row> tuningRows, int folds, TuningListener listener) {
    List<Point> points = points();
    try (PreparedFolds prepared = new PreparedFolds(tuningRows, folds, plan)) {
      Clock clock = new Clock(spec.tuning().budget());
      return spec.tuning().search() == Search.HALVING
          ? halving(points, prepared, clock, listener)
          : sequential(points, prepared, clock, listener);
    }
  }

  private Outcome sequential(List<Point> points, PreparedFolds prepared, Clock clock, TuningListener listener) {
    List<Trial> trials = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (clock.exhausted()) {
        return new Outcome(trials, true);
      }
      Trial trial = evaluate(i + 1, points.get(i), prepared, 1.0, 0);
      trials.add(trial);
      listener.trialFinished(trial, i + 1, points.size(), clock.elapsed(), clock.remaining(i + 1, points.size()));
    }
    return new Outcome(trials, false);
  }

  /**
   * Successive halving: rung r trains on {@code ETA^(r - last)} of each fold's training rows (never less than {@link
   * #MIN_SHARE}); after each rung but the last, the best {@code 1/ETA} go on and the rest are recorded as pruned.
   */
  private Outcome halving(List<Point> points, PreparedFolds prepared, Clock clock, TuningListener listener) {
    int lastRung = 0;
    while (Math.pow(ETA, lastRung + 1) <= points.size() && Math.pow(ETA, -(lastRung + 1)) >= MIN_SHARE) {
      lastRung++;
    }
    List<Trial> finished = new ArrayList<>();
    List<Point> alive = new ArrayList<>(points);
    List<Trial> lastSurvivors = List.of();
    int evaluations = 0;
    int plannedEvaluations = 0;
    for (int rung = 0, n = points.size(); rung <= lastRung; rung++, n = Math.max(1, n / ETA)) {
      plannedEvaluations += n;
    }
    for (int rung = 0; rung <= lastRung; rung++) {
      double share = Math.pow(ETA, rung - lastRung);
      List<Trial> rungTrials = new ArrayList<>();
      for (Point point : alive) {
        if (clock.exhausted()) {
          // The best information there is: this rung's evaluations so far, or else the previous rung's survivors.
          finish(finished, rungTrials.isEmpty() ? lastSurvivors : rungTrials, Trial.DONE, listener, clock,
              points.size());
          return new Outcome(finished, true);
        }
        rungTrials.add(evaluate(0, point, prepared, share, rung));
        evaluations++;
      }
      if (rung == lastRung) {
        finish(finished, rungTrials, Trial.DONE, listener, clock, points.size());
        break;
      }
      List<Trial> ranked = rank(rungTrials);
      int keep = Math.max(1, alive.size() / ETA);
      List<Trial> survivors = ranked.subList(0, Math.min(keep, ranked.size()));
      finish(finished, ranked.subList(survivors.size(), ranked.size()), Trial.PRUNED, listener, clock, points.size());
      lastSurvivors = List.copyOf(survivors);
      alive = new ArrayList<>();
      for (Trial survivor : survivors) {
        alive.add(new Point(survivor.candidateIndex(), survivor.candidate(), survivor.params()));
      }
      clock.progress(evaluations, plannedEvaluations);
    }
    return new Outcome(finished, false);
  }

  /** Done trials by the tuning metric, best first; failed ones last. */
  private List<Trial> rank(List<Trial> trials) {
    java.util.Comparator<Trial> byMean = java.util.Comparator.comparingDouble(Trial::mean);
    if (spec.tuning().metric().higherIsBetter()) {
      byMean = byMean.reversed();
    }
    List<Trial> ranked = new ArrayList<>(trials.stream().filter(t -> t.done() && !Double.isNaN(t.mean())).sorted(byMean).toList());
    trials.stream().filter(t -> !ranked.contains(t)).forEach(ranked::add);
    return ranked;
  }

  /** Numbers trials in the order they are final and reports them; {@code status} replaces done (not failed). */
  private static void finish(
      List<Trial> finished, List<Trial> trials, String status, TuningListener listener, Clock clock, int total) {
    for (Trial trial : trials) {
      Trial numbered =
          new Trial(finished.size() + 1, trial.candidateIndex(), trial.candidate(), trial.params(),
              trial.foldValues(), trial.mean(), trial.std(), trial.seconds(),
              trial.done() ? status : trial.status(), trial.error());
      finished.add(numbered);
      listener.trialFinished(numbered, finished.size(), total, clock.elapsed(), clock.remainingByShare());
    }
  }

  /** Wall-clock of the search against its budget, and ETA estimates. */
  private static final class Clock {
    private final Duration budget;
    private final long started = System.nanoTime();
    private double shareDone;

    Clock(Duration budget) {
      this.budget = budget;
    }

    Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - started);
    }

    boolean exhausted() {
      return budget != null && elapsed().compareTo(budget) >= 0;
    }

    Duration remaining(int done, int total) {
      return elapsed().dividedBy(done).multipliedBy(total - (long) done);
    }

    void progress(int done, int total) {
      shareDone = total == 0 ? 1.0 : (double) done / total;
    }

    Duration remainingByShare() {
      if (shareDone <= 0) {
        return Duration.ZERO;
      }
      return Duration.ofMillis((long) (elapsed().toMillis() * (1 - shareDone) / shareDone));
    }
  }

  /** Cross-validates one configuration, training on {@code share} of each fold's training rows. */
  private Trial evaluate(int trialId, Point point, PreparedFolds prepared, double share, int rung) {
    long started = System.nanoTime();
    List<Double> values = new ArrayList<>();
    ModelFamily family = ModelFamilies.of(point.candidate());
    PipelineStage stage = family.estimator(spec.task(), point.candidate(), point.params(), weighted);
    try {
      for (int fold = 0; fold < prepared.folds(); fold++) {
        PreparedFolds.Fold data = prepared.fold(family, fold);
        Dataset<Row> train =
            share >= 1.0 ? data.train() : data.train().sample(false, share, spec.tuning().seed() + 31L * rung + fold);
        Transformer model = ((Estimator<?>) stage).fit(train);
        Dataset<Row> scored = Predictions.predict(model, spec.task(), data.validation());
        values.add(Metrics.compute(scored, spec.tuning().metric(), weighted, point.candidate().quantile()));
      }
    } catch (RuntimeException e) {
      // One configuration that cannot be fitted (e.g. a solver that diverges) must not sink the whole search.
      return new Trial(
          trialId,
          point.candidateIndex(),
          point.candidate(),
          point.params(),
          values,
          Double.NaN,
          Double.NaN,
          seconds(started),
          Trial.FAILED,
          String.valueOf(e.getMessage()));
    }
    return new Trial(
        trialId,
        point.candidateIndex(),
        point.candidate(),
        point.params(),
        values,
        Trial.mean(values),
        Trial.std(values),
        seconds(started),
        Trial.DONE,
        null);
  }

  /** Fits the full pipeline (feature preparation and model) of one configuration on {@code rows}. */
  public PipelineModel fit(CandidateSpec candidate, Map<GridKey, Double> params, Dataset<Row> rows) {
    ModelFamily family = ModelFamilies.of(candidate);
    List<PipelineStage> stages = new ArrayList<>(family.preparation(plan));
    stages.add(family.estimator(spec.task(), candidate, params, weighted));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
