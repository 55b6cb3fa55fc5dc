package io.nightjar.xgboost;

import io.nightjar.config.Task;
import io.nightjar.model.CrossValidation;
import io.nightjar.model.FitGroup;
import io.nightjar.model.FoldScores;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.TuningOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.spark.XGBoostEstimator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * Cross-validates plain XGBoost boosters with the folds in memory, when they are small enough: each
 * fold's prepared rows are collected once per family and broadcast, and each trial's fold fits run
 * as ordinary Spark tasks (one task per fold, all folds at once, as many at a time as there are
 * task slots) that train with the native library on their fold and return its metric. This is how
 * tools such as Hyperopt's SparkTrials tune single-node models on Spark. Compared with a
 * distributed XGBoost4J-Spark fit per fold (a barrier stage, a tracker, a shuffle of the fold into
 * the workers and a scoring job), a fold fit then costs little more than XGBoost's own training
 * time.
 *
 * <p>The booster parameters are the ones the XGBoost4J-Spark estimator of the same configuration
 * passes to the native library, so a trial fits what the distributed path fits, with one worker.
 * Larger data, and estimators that wrap the booster (quantile and hinge calibration), take the
 * distributed path. The limit on the folds' total size in memory is the Spark setting {@value
 * TuningOptions#IN_MEMORY_LIMIT} (default {@value TuningOptions#DEFAULT_IN_MEMORY_LIMIT}; 0 turns
 * the path off). One per search ({@link CrossValidation#shared}): it keeps each family's folds
 * broadcast.
 */
final class InMemoryFits implements AutoCloseable {
  private final CrossValidation cv;
  private final Map<String, Broadcast<FoldMatrices>> broadcasts = new HashMap<>();
  private Long bytes;

  InMemoryFits(CrossValidation cv) {
    this.cv = cv;
  }

  /** Whether {@code stage} (the estimator of a trial) is fitted in memory. */
  boolean fits(PipelineStage stage) {
    if (booster(stage) == null) {
      return false;
    }
    if (bytes == null) {
      // Every fold holds all tuning rows once: its training part and its validation part.
      bytes = cv.folds() * RowMatrix.bytes(cv.tuningRowCount(), cv.features());
    }
    return bytes <= cv.options().inMemoryLimitBytes();
  }

  /**
   * Fits {@code stage} (configured for the group's largest {@code num_trees}) on every fold and
   * scores every point of {@code group} from its first trees, stopping a fold's fit early where
   * {@link EarlyStopping} allows; the metrics come back in fold order.
   */
  List<FoldScores> evaluate(FitGroup group, PipelineStage stage) {
    XGBoostEstimator<?, ?> estimator = booster(stage);
    HashMap<String, Object> params =
        new HashMap<>(JavaConverters.mapAsJavaMap(estimator.getXGBoostParams()));
    // "missing" belongs to the matrix, not the booster; each task trains with the cores a task
    // gets.
    params.remove("missing");
    SparkSession spark = SparkSession.active();
    params.put("nthread", spark.sparkContext().conf().getInt("spark.task.cpus", 1));
    int rounds = estimator.getNumRound();
    int[] trees = new int[group.points().size()];
    for (int i = 0; i < trees.length; i++) {
      trees[i] = (int) group.trees(i, rounds);
    }
    EarlyStopping stopping = EarlyStopping.of(cv.options(), cv.metric(), trees);
    List<NativeFoldFit> fits = new ArrayList<>();
    for (int fold = 0; fold < cv.folds(); fold++) {
      fits.add(
          new NativeFoldFit(
              fold,
              params,
              rounds,
              stage instanceof MedianStartRegressor,
              trees,
              cv.task() == Task.CLASSIFICATION,
              cv.metric(),
              group.candidate().quantile(),
              group.share(),
              cv.sampleSeed(fold, group.rung()),
              stopping));
    }
    ModelFamily family = group.family();
    Broadcast<FoldMatrices> shared =
        broadcasts.computeIfAbsent(family.getClass().getName(), key -> broadcast(family));
    List<NativeFoldFit.Scores> perFold = run(fits, shared);
    if (stopping != null) {
      perFold = catchUp(fits, perFold, trees, shared);
    }
    List<FoldScores> out = new ArrayList<>();
    for (NativeFoldFit.Scores scores : perFold) {
      out.add(
          new FoldScores(
              scores.values, scores.trained, stopping == null ? null : stopping.describe()));
    }
    return out;
  }

  /**
   * A value of the group is pruned only when no fold's fit reached it: the folds whose fit stopped
   * below the largest value another fold reached are fitted again to that value without stopping
   * (one more job, folds at once), so that one fold's plateau does not prune a value the others
   * found worth growing to. Their first trees are the same, so the values below their stop do not
   * change.
   */
  static List<NativeFoldFit.Scores> catchUp(
      List<NativeFoldFit> fits,
      List<NativeFoldFit.Scores> perFold,
      int[] trees,
      Broadcast<FoldMatrices> shared) {
    int reached = perFold.stream().mapToInt(scores -> scores.trained).max().orElse(0);
    int target = Arrays.stream(trees).filter(k -> k <= reached).max().orElse(0);
    List<Integer> behind = new ArrayList<>();
    for (int fold = 0; fold < perFold.size(); fold++) {
      if (perFold.get(fold).trained < target) {
        behind.add(fold);
      }
    }
    if (behind.isEmpty()) {
      return perFold;
    }
    List<NativeFoldFit.Scores> again =
        run(behind.stream().map(fold -> fits.get(fold).withRounds(target)).toList(), shared);
    List<NativeFoldFit.Scores> out = new ArrayList<>(perFold);
    for (int i = 0; i < behind.size(); i++) {
      out.set(behind.get(i), again.get(i));
    }
    return out;
  }

  /**
   * The XGBoost estimator {@code stage} fits, when a native fit in memory can stand for it: a plain
   * booster, or one started from the label median (which the task computes on its rows). Null for
   * everything else, e.g. the quantile and hinge estimators, whose calibration is fitted on the
   * booster's predictions.
   */
  private static XGBoostEstimator<?, ?> booster(PipelineStage stage) {
    if (stage instanceof MedianStartRegressor started) {
      return started.regressor();
    }
    return stage instanceof XGBoostEstimator<?, ?> estimator ? estimator : null;
  }

  /** One Spark job, one task per fold fit; results in fold order. */
  static List<NativeFoldFit.Scores> run(List<NativeFoldFit> fits, Broadcast<FoldMatrices> shared) {
    JavaSparkContext context =
        JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    try {
      return context.parallelize(fits, fits.size()).map(fit -> fit.run(shared.value())).collect();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // SparkException is checked for Java but thrown undeclared by collect: surface it as the
      // fit's failure.
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private Broadcast<FoldMatrices> broadcast(ModelFamily family) {
    ArrayList<RowMatrix> train = new ArrayList<>();
    ArrayList<RowMatrix> validation = new ArrayList<>();
    for (int fold = 0; fold < cv.folds(); fold++) {
      CrossValidation.Fold rows = cv.fold(family, fold);
      train.add(RowMatrix.collect(rows.train()));
      validation.add(RowMatrix.collect(rows.validation()));
    }
    JavaSparkContext context =
        JavaSparkContext.fromSparkContext(SparkSession.active().sparkContext());
    return context.broadcast(new FoldMatrices(train, validation));
  }

  @Override
  public void close() {
    broadcasts.values().forEach(Broadcast::destroy);
  }
}
