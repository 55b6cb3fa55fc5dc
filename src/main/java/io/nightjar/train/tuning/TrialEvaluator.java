package io.nightjar.train.tuning;

import io.nightjar.config.GridKey;
import io.nightjar.config.ModelSpec;
import io.nightjar.train.Metrics;
import io.nightjar.train.ModelFamilies;
import io.nightjar.train.ModelFamily;
import io.nightjar.train.Predictions;
import io.nightjar.train.TreePrefixes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cross-validates configurations on prepared folds. Configurations of one boosted-tree candidate that differ only in
 * {@code num_trees} form a group that is fitted once per fold with the largest value; every smaller value is scored
 * from the first trees of that fit ({@link TreePrefixes}), which is what a fit with fewer trees gives. Configurations
 * of one logistic candidate that differ only in {@code reg_param} form a group fitted along the regularisation path,
 * each fit warm-started from the previous one's model. Plain XGBoost
 * boosters on folds small enough to hold in memory are fitted by {@link InMemoryFits}; everything else is fitted as
 * Spark ML estimators on the cached fold datasets, {@link #concurrentFits} folds at once.
 */
final class TrialEvaluator {
  /** JVM option that overrides how many folds are fitted at once (the benchmark compares 1 and 2 with it). */
  static final String CONCURRENT_FITS_PROPERTY = "nightjar.tuning.concurrentFits";

  /**
   * Folds fitted at once: one per task slot, at most one per fold. Measured here (2 cores, local[2], 100k rows, 3
   * folds): two concurrent one-worker XGBoost fits tuned in 12 s where one two-worker fit at a time took 17 s, as the
   * driver's work between Spark jobs (tracker start, scheduling, metrics) overlaps with the other fold's training.
   */
  static int concurrentFits(int folds) {
    int slots = org.apache.spark.sql.SparkSession.active().sparkContext().defaultParallelism();
    return Integer.getInteger(CONCURRENT_FITS_PROPERTY, Math.max(1, Math.min(folds, slots)));
  }

  /**
   * One fold's metric per point, and the trees its fit trained: fewer than the group's largest {@code num_trees} when
   * {@code stopping} stopped it early, and then the points above it have no value on this fold.
   */
  record FoldResult(Map<KFoldSearch.Point, Double> values, int trained, EarlyStopping stopping) {
    static FoldResult complete(Map<KFoldSearch.Point, Double> values) {
      return new FoldResult(values, Integer.MAX_VALUE, null);
    }
  }

  private final ModelSpec spec;
  private final boolean weighted;
  private final InMemoryFits inMemory;

  TrialEvaluator(ModelSpec spec, boolean weighted, InMemoryFits inMemory) {
    this.spec = spec;
    this.weighted = weighted;
    this.inMemory = inMemory;
  }

  /**
   * JVM option that turns off following the regularisation path (each {@code reg_param} fitted from scratch); the
   * linear tuning benchmark compares both with it.
   */
  static final String REGULARISATION_PATH_PROPERTY = "nightjar.tuning.regularisationPath";

  /**
   * {@code points} in groups evaluated together, in order of first appearance: points of one candidate that differ
   * only in {@code num_trees} when its family fits tree prefixes (one fit per fold), or only in {@code reg_param} when
   * its family follows the regularisation path (one chain of warm-started fits per fold). Other points are groups of
   * one.
   */
  static List<List<KFoldSearch.Point>> groups(List<KFoldSearch.Point> points) {
    boolean paths = Boolean.parseBoolean(System.getProperty(REGULARISATION_PATH_PROPERTY, "true"));
    Map<String, List<KFoldSearch.Point>> groups = new LinkedHashMap<>();
    for (KFoldSearch.Point point : points) {
      ModelFamily family = ModelFamilies.of(point.candidate());
      GridKey shared = null;
      if (point.params().containsKey(GridKey.NUM_TREES) && family.fitsTreePrefixes(point.candidate())) {
        shared = GridKey.NUM_TREES;
      } else if (paths && point.params().containsKey(GridKey.REG_PARAM)
          && family.followsRegularisationPath(point.candidate())) {
        shared = GridKey.REG_PARAM;
      }
      String key = point.key();
      if (shared != null) {
        Map<GridKey, Double> others = new LinkedHashMap<>(point.params());
        others.remove(shared);
        key = point.candidateIndex() + " " + shared + " " + others;
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(point);
    }
    return List.copyOf(groups.values());
  }

  /**
   * Evaluates one group, training on {@code share} of each fold's training rows; returns one trial per point (numbered
   * 0), all failed with the error when a fit fails.
   */
  List<Trial> evaluate(List<KFoldSearch.Point> group, PreparedFolds prepared, double share, int rung) {
    long started = System.nanoTime();
    KFoldSearch.Point longest = group.stream().max(Comparator.comparingDouble(TrialEvaluator::trees)).orElseThrow();
    ModelFamily family = ModelFamilies.of(longest.candidate());
    PipelineStage stage = family.estimator(spec.task(), longest.candidate(), longest.params(), weighted);
    Map<KFoldSearch.Point, List<Double>> values = new LinkedHashMap<>();
    group.forEach(point -> values.put(point, new ArrayList<>()));
    Map<KFoldSearch.Point, String> stopped = Map.of();
    String error = null;
    try {
      List<FoldResult> perFold = fitFolds(group, family, stage, prepared, share, rung);
      perFold.forEach(result -> result.values().forEach((point, value) -> values.get(point).add(value)));
      stopped = earlyStops(group, perFold);
    } catch (RuntimeException e) {
      // One configuration that cannot be fitted (e.g. a solver that diverges) must not sink the whole search.
      error = String.valueOf(e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9 / group.size();
    List<Trial> trials = new ArrayList<>();
    for (KFoldSearch.Point point : group) {
      List<Double> folds = values.get(point);
      boolean failed = error != null;
      boolean pruned = !failed && stopped.containsKey(point);
      boolean scored = !failed && !pruned;
      trials.add(new Trial(0, point.candidateIndex(), point.candidate(), point.params(), folds,
          scored ? Trial.mean(folds) : Double.NaN, scored ? Trial.std(folds) : Double.NaN, seconds,
          failed ? Trial.FAILED : pruned ? Trial.PRUNED : Trial.DONE, failed ? error : stopped.get(point), rung, null));
    }
    return trials;
  }

  /** Fits the group on every fold, in memory or as Spark ML estimators; its fold results in fold order. */
  private List<FoldResult> fitFolds(List<KFoldSearch.Point> group, ModelFamily family, PipelineStage stage,
      PreparedFolds prepared, double share, int rung) {
    if (inMemory.fits(stage)) {
      return inMemory.evaluate(group, stage, family, share, rung);
    }
    List<PreparedFolds.Fold> folds = new ArrayList<>();
    for (int fold = 0; fold < prepared.folds(); fold++) {
      folds.add(prepared.fold(family, fold));
    }
    boolean path = group.size() > 1 && !group.get(0).params().containsKey(GridKey.NUM_TREES)
        && family.followsRegularisationPath(group.get(0).candidate());
    return evaluateFolds(folds.size(), (fold, workers) -> path
        ? evaluatePath(group, family, folds.get(fold), fold, share, rung)
        : evaluateFold(group, withWorkers(stage, workers), folds.get(fold), fold, share, rung));
  }

  /** The points no fold's fit reached, each with the reason. */
  private static Map<KFoldSearch.Point, String> earlyStops(List<KFoldSearch.Point> group, List<FoldResult> perFold) {
    Map<KFoldSearch.Point, String> stopped = new LinkedHashMap<>();
    FoldResult furthest = perFold.stream().max(Comparator.comparingInt(FoldResult::trained)).orElse(null);
    for (KFoldSearch.Point point : group) {
      if (furthest != null && trees(point) > furthest.trained()) {
        stopped.put(point, String.format(
            "early stopping: no fold's fit reached %d trees (the furthest stopped at %d: %s not better for %d rounds)",
            (int) trees(point), furthest.trained(), furthest.stopping().evalMetric(), furthest.stopping().patience()));
      }
    }
    return stopped;
  }

  /** One fold's evaluation; {@code workers} is the XGBoost workers a fit may use, or null for the estimator's own. */
  private interface FoldEvaluation {
    Map<KFoldSearch.Point, Double> run(int fold, Integer workers);
  }

  /** Evaluates every fold, {@link #concurrentFits} at a time; the metrics come back in fold order. */
  private List<FoldResult> evaluateFolds(int folds, FoldEvaluation evaluation) {
    int threads = Math.min(concurrentFits(folds), folds);
    if (threads <= 1) {
      List<FoldResult> out = new ArrayList<>();
      for (int fold = 0; fold < folds; fold++) {
        out.add(FoldResult.complete(evaluation.run(fold, null)));
      }
      return out;
    }
    // Concurrent XGBoost fits share the task slots: each gets its share of workers (an XGBoost fit is a barrier stage
    // that needs all its workers' slots at once, so two 2-worker fits on 2 slots would run one after the other).
    int slots = org.apache.spark.sql.SparkSession.active().sparkContext().defaultParallelism();
    int workers = Math.max(1, slots / threads);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Map<KFoldSearch.Point, Double>>> futures = new ArrayList<>();
      for (int fold = 0; fold < folds; fold++) {
        int index = fold;
        futures.add(pool.submit(() -> evaluation.run(index, workers)));
      }
      List<FoldResult> out = new ArrayList<>();
      for (var future : futures) {
        out.add(FoldResult.complete(future.get()));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot finish tuning: interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** A copy of {@code stage} with {@code workers} XGBoost workers, or {@code stage} itself when null or not XGBoost. */
  private static PipelineStage withWorkers(PipelineStage stage, Integer workers) {
    if (workers == null) {
      return stage;
    }
    PipelineStage own = stage.copy(new org.apache.spark.ml.param.ParamMap());
    if (own.hasParam("numWorkers")) {
      own.set(own.getParam("numWorkers"), workers);
    }
    return own;
  }

  /**
   * Follows the regularisation path on one fold: the group's points from the largest {@code reg_param} down, each fit
   * starting from the model of the one before ({@link ModelFamily#startFrom}). The strongest penalty's solution is
   * near zero, where a cold fit starts too, and each smaller penalty moves the optimum a little.
   */
  private Map<KFoldSearch.Point, Double> evaluatePath(List<KFoldSearch.Point> group, ModelFamily family,
      PreparedFolds.Fold data, int fold, double share, int rung) {
    Dataset<Row> train = trainingRows(data, fold, share, rung);
    List<KFoldSearch.Point> path = group.stream()
        .sorted(Comparator.comparingDouble((KFoldSearch.Point point) -> point.params().get(GridKey.REG_PARAM))
            .reversed())
        .toList();
    Map<KFoldSearch.Point, Double> out = new LinkedHashMap<>();
    Transformer previous = null;
    for (KFoldSearch.Point point : path) {
      PipelineStage stage = family.estimator(spec.task(), point.candidate(), point.params(), weighted);
      if (previous != null) {
        family.startFrom(stage, previous);
      }
      Transformer model = ((Estimator<?>) stage).fit(train);
      out.put(point, metric(Predictions.predict(model, spec.task(), data.validation()), point));
      previous = model;
    }
    return out;
  }

  private Dataset<Row> trainingRows(PreparedFolds.Fold data, int fold, double share, int rung) {
    return share >= 1.0 ? data.train() : data.train().sample(false, share, spec.tuning().seed() + 31L * rung + fold);
  }

  private Map<KFoldSearch.Point, Double> evaluateFold(List<KFoldSearch.Point> group, PipelineStage stage,
      PreparedFolds.Fold data, int fold, double share, int rung) {
    Transformer model = ((Estimator<?>) stage).fit(trainingRows(data, fold, share, rung));
    Map<KFoldSearch.Point, Double> out = new LinkedHashMap<>();
    if (group.size() == 1) {
      KFoldSearch.Point point = group.get(0);
      out.put(point, metric(Predictions.predict(model, spec.task(), data.validation()), point));
      return out;
    }
    List<Integer> trees = group.stream().map(point -> (int) trees(point)).toList();
    try (TreePrefixes prefixes = TreePrefixes.score(model, spec.task(), data.validation(), trees)) {
      for (KFoldSearch.Point point : group) {
        out.put(point, metric(prefixes.withTrees((int) trees(point)), point));
      }
    }
    return out;
  }

  private double metric(Dataset<Row> scored, KFoldSearch.Point point) {
    return Metrics.compute(scored, spec.tuning().metric(), weighted, point.candidate().quantile());
  }

  private static double trees(KFoldSearch.Point point) {
    return point.params().getOrDefault(GridKey.NUM_TREES, 0.0);
  }
}
