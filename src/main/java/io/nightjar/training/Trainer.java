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
    try (PersistedSplit split = PersistedSplit.of(spec, frame)) {
      split.splits().requireRows(spec.name(), frame.rowCount());
      long started = System.nanoTime();
      KFoldSearch search =
          new KFoldSearch(spec, plan, weighted, warmStart, resumed, history, today);
      KFoldSearch.Outcome outcome = search.run(split.tuning(), tuning.folds(), listener);
      double tuningSeconds = (System.nanoTime() - started) / 1e9;
      Trial best = best(outcome.trials());
      started = System.nanoTime();
      PipelineModel model = search.fit(best.candidate(), best.params(), split.tuning());
      double fitSeconds = (System.nanoTime() - started) / 1e9;
      started = System.nanoTime();
      Map<Metric, Double> holdout = evaluate(model, split.holdout(), best.candidate(), weighted);
      double evaluateSeconds = (System.nanoTime() - started) / 1e9;
      return new TrainingResult(
          best,
          model,
          outcome.trials(),
          holdout,
          split.tuning().count(),
          split.holdout().count(),
          tuningSeconds,
          fitSeconds,
          evaluateSeconds,
          outcome.budgetExhausted());
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
    boolean weighted = spec.data().weight() != null;
    try (PersistedSplit split = PersistedSplit.of(spec, frame)) {
      long started = System.nanoTime();
      KFoldSearch search =
          new KFoldSearch(
              spec, FeaturePlan.of(frame.features(), frame.categorical()), weighted, List.of());
      PipelineModel model = search.fit(candidate, params, split.tuning());
      Map<Metric, Double> holdout = evaluate(model, split.holdout(), candidate, weighted);
      return new Refit(
          model,
          holdout,
          split.tuning().count(),
          split.holdout().count(),
          (System.nanoTime() - started) / 1e9);
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
    return done.stream().min(Comparator.comparing(Trial::mean, metric.bestFirst())).get();
  }

  /**
   * The spec's split of a frame, with its tuning and holdout rows persisted while a training reads
   * them again and again (the search, the refit, the holdout metrics and the row counts); closing
   * it unpersists them.
   */
  private record PersistedSplit(Splits splits, Dataset<Row> tuning, Dataset<Row> holdout)
      implements AutoCloseable {
    static PersistedSplit of(ModelSpec spec, TrainingFrame frame) {
      Splits splits = Splits.of(spec, frame.rows());
      return new PersistedSplit(
          splits,
          splits.tuning().persist(StorageLevel.MEMORY_AND_DISK()),
          splits.holdout().persist(StorageLevel.MEMORY_AND_DISK()));
    }

    @Override
    public void close() {
      tuning.unpersist();
      holdout.unpersist();
    }
  }
}
