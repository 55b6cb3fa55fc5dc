package io.nightjar.training;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.Splits;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.Metrics;
import io.nightjar.model.Predictions;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.registry.PastTrial;
import io.nightjar.tuning.KFoldSearch;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TuningListener;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Trains one model from a spec: sets the holdout apart, cross-validates every candidate's grid on
 * the rest, refits the best configuration on all non-holdout rows and measures it on the holdout.
 */
public final class Trainer {
  private final ModelSpec spec;

  public Trainer(ModelSpec spec) {
    this.spec = spec;
  }

  /**
   * Trains on {@code frame}; {@code warmStart} lists past configurations ({@link
   * KFoldSearch.Point#key()}) to try first, best first.
   */
  public TrainingResult train(
      TrainingFrame frame, List<String> warmStart, TuningListener listener) {
    return train(frame, warmStart, List.of(), listener);
  }

  /**
   * As {@link #train(TrainingFrame, List, TuningListener)}, reusing the trials {@code resumed} that
   * an earlier, killed attempt at the same training recorded.
   */
  public TrainingResult train(
      TrainingFrame frame,
      List<String> warmStart,
      List<PastTrial> resumed,
      TuningListener listener) {
    return train(frame, warmStart, resumed, List.of(), null, listener);
  }

  /**
   * As {@link #train(TrainingFrame, List, List, TuningListener)}, with the model's past finished
   * trials ({@code history}) that a {@code bayes} search learns from, aged from {@code today}. The
   * spec's budget covers the search and the refit.
   */
  public TrainingResult train(
      TrainingFrame frame,
      List<String> warmStart,
      List<PastTrial> resumed,
      List<HistoricTrial> history,
      LocalDate today,
      TuningListener listener) {
    var tuning = spec.tuning();
    boolean weighted = spec.data().weight() != null;
    FeaturePlan plan = FeaturePlan.of(frame.features(), frame.categorical());
    Splits splits =
        Splits.of(
            frame.rows(),
            spec.data().id(),
            spec.data().time(),
            tuning.holdout(),
            tuning.folds(),
            tuning.seed());
    Dataset<Row> tuningRows = splits.tuning().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> holdoutRows = splits.holdout().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      splits.requireRows(spec.name(), frame.rowCount());
      long started = System.nanoTime();
      KFoldSearch search =
          new KFoldSearch(spec, plan, weighted, warmStart, resumed, history, today);
      KFoldSearch.Outcome outcome = search.run(tuningRows, tuning.folds(), listener);
      double tuningSeconds = (System.nanoTime() - started) / 1e9;
      Trial best = best(outcome.trials());
      started = System.nanoTime();
      PipelineModel model = search.fit(best.candidate(), best.params(), tuningRows);
      double fitSeconds = (System.nanoTime() - started) / 1e9;
      started = System.nanoTime();
      Map<Metric, Double> holdout = evaluate(model, holdoutRows, best.candidate(), weighted);
      double evaluateSeconds = (System.nanoTime() - started) / 1e9;
      return new TrainingResult(
          best,
          model,
          outcome.trials(),
          holdout,
          tuningRows.count(),
          holdoutRows.count(),
          tuningSeconds,
          fitSeconds,
          evaluateSeconds,
          outcome.budgetExhausted());
    } finally {
      tuningRows.unpersist();
      holdoutRows.unpersist();
    }
  }

  /** A recorded configuration fitted again: its pipeline and holdout metrics. */
  public record Refit(
      PipelineModel model,
      Map<Metric, Double> holdoutMetrics,
      long trainingRows,
      long holdoutRows,
      double seconds) {}

  /**
   * Fits one configuration on the same split {@link #train} uses (same holdout, all non-holdout
   * rows) without tuning, and measures it on the holdout: how a recorded version is reproduced.
   */
  public Refit refit(TrainingFrame frame, CandidateSpec candidate, Map<GridKey, Double> params) {
    var tuning = spec.tuning();
    boolean weighted = spec.data().weight() != null;
    Splits splits =
        Splits.of(
            frame.rows(),
            spec.data().id(),
            spec.data().time(),
            tuning.holdout(),
            tuning.folds(),
            tuning.seed());
    Dataset<Row> tuningRows = splits.tuning().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> holdoutRows = splits.holdout().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long started = System.nanoTime();
      KFoldSearch search =
          new KFoldSearch(
              spec, FeaturePlan.of(frame.features(), frame.categorical()), weighted, List.of());
      PipelineModel model = search.fit(candidate, params, tuningRows);
      Map<Metric, Double> holdout = evaluate(model, holdoutRows, candidate, weighted);
      return new Refit(
          model,
          holdout,
          tuningRows.count(),
          holdoutRows.count(),
          (System.nanoTime() - started) / 1e9);
    } finally {
      tuningRows.unpersist();
      holdoutRows.unpersist();
    }
  }

  /** The holdout metrics: the task's standard ones plus the spec's tuning metric. */
  public Map<Metric, Double> evaluate(
      PipelineModel model, Dataset<Row> rows, CandidateSpec candidate, boolean weighted) {
    List<Metric> metrics = new ArrayList<>(Metrics.standard(spec.task(), candidate.quantile()));
    if (!metrics.contains(spec.tuning().metric())) {
      metrics.add(spec.tuning().metric());
    }
    Dataset<Row> scored = Predictions.predict(model, spec.task(), rows);
    return new LinkedHashMap<>(Metrics.compute(scored, metrics, weighted, candidate.quantile()));
  }

  private Trial best(List<Trial> trials) {
    Metric metric = spec.tuning().metric();
    Comparator<Trial> byMetric = Comparator.comparingDouble(Trial::mean);
    List<Trial> done =
        trials.stream().filter(Trial::done).filter(t -> !Double.isNaN(t.mean())).toList();
    if (done.isEmpty()) {
      String reason =
          trials.isEmpty()
              ? "the tuning budget ran out before the first trial"
              : trials.get(0).error();
      throw new IllegalStateException(
          String.format("Cannot train model '%s': no trial finished (%s).", spec.name(), reason));
    }
    return metric.higherIsBetter()
        ? done.stream().max(byMetric).get()
        : done.stream().min(byMetric).get();
  }
}
