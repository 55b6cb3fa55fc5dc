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
import java.util.Map;
import io.nightjar.train.ModelFamily;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * k-fold cross-validated search over every candidate's grid ({@code grid}: every point; {@code random}: {@code
 * max_trials} points sampled with the seed). Feature preparation is fitted once per fold and family and its output
 * cached ({@link PreparedFolds}); each trial then fits only its estimator. When the
 * spec's {@code budget} runs out, the search stops between trials and the trials finished so far decide.
 */
public final class KFoldSearch {
  /** A configuration to evaluate: which candidate, and which point of its grid. */
  public record Point(int candidateIndex, CandidateSpec candidate, Map<GridKey, Double> params) {}

  /** What the search found: every trial, and whether the budget stopped it early. */
  public record Outcome(List<Trial> trials, boolean budgetExhausted) {}

  private final ModelSpec spec;
  private final FeaturePlan plan;
  private final boolean weighted;

  public KFoldSearch(ModelSpec spec, FeaturePlan plan, boolean weighted) {
    this.spec = spec;
    this.plan = plan;
    this.weighted = weighted;
  }

  /** The configurations the spec's search will evaluate, in order. */
  public List<Point> points() {
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      for (Map<GridKey, Double> params : GridPoints.expand(candidate)) {
        points.add(new Point(i, candidate, params));
      }
    }
    TuningSpec tuning = spec.tuning();
    return tuning.search() == Search.RANDOM ? GridPoints.sample(points, tuning.maxTrials(), tuning.seed()) : points;
  }

  /** Evaluates {@link #points()} on {@code tuningRows} (which carry {@link Columns#FOLD}). */
  public Outcome run(Dataset<Row> tuningRows, int folds, TuningListener listener) {
    List<Point> points = points();
    Duration budget = spec.tuning().budget();
    long started = System.nanoTime();
    List<Trial> trials = new ArrayList<>();
    boolean exhausted = false;
    try (PreparedFolds prepared = new PreparedFolds(tuningRows, folds, plan)) {
      for (int i = 0; i < points.size(); i++) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (budget != null && elapsed.compareTo(budget) >= 0) {
          exhausted = true;
          break;
        }
        Trial trial = evaluate(i + 1, points.get(i), prepared);
        trials.add(trial);
        elapsed = Duration.ofNanos(System.nanoTime() - started);
        Duration remaining = elapsed.dividedBy(i + 1).multipliedBy(points.size() - i - 1L);
        listener.trialFinished(trial, i + 1, points.size(), elapsed, remaining);
      }
    }
    return new Outcome(List.copyOf(trials), exhausted);
  }

  private Trial evaluate(int trialId, Point point, PreparedFolds prepared) {
    long started = System.nanoTime();
    List<Double> values = new ArrayList<>();
    ModelFamily family = ModelFamilies.of(point.candidate());
    PipelineStage stage = family.estimator(spec.task(), point.candidate(), point.params(), weighted);
    try {
      for (int fold = 0; fold < prepared.folds(); fold++) {
        PreparedFolds.Fold data = prepared.fold(family, fold);
        Transformer model = ((Estimator<?>) stage).fit(data.train());
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
