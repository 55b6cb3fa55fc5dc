package io.nightjar.tuning;

import static org.apache.spark.sql.functions.col;

import io.nightjar.data.Columns;
import io.nightjar.model.CrossValidation;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.ModelFamily;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Cross-validation folds with their feature preparation fitted on the fold's training part only (no
 * leakage from the validation rows) and the prepared rows cached, so that every grid point reuses
 * them. Built lazily per family (a family's preparation does not depend on its grid). Closing it
 * releases the cache.
 */
final class PreparedFolds implements CrossValidation.Folds, AutoCloseable {
  private final Dataset<Row> rows;
  private final int folds;
  private final FeaturePlan plan;
  private final Map<String, CrossValidation.Fold> cache = new HashMap<>();
  private final List<Dataset<Row>> cached = new ArrayList<>();

  PreparedFolds(Dataset<Row> rows, int folds, FeaturePlan plan) {
    this.rows = rows;
    this.folds = folds;
    this.plan = plan;
  }

  @Override
  public int folds() {
    return folds;
  }

  @Override
  public CrossValidation.Fold fold(ModelFamily family, int fold) {
    return cache.computeIfAbsent(
        family.getClass().getName() + "#" + fold, key -> prepare(family, fold));
  }

  private CrossValidation.Fold prepare(ModelFamily family, int fold) {
    Dataset<Row> train = rows.where(col(Columns.FOLD).notEqual(fold));
    Dataset<Row> validation = rows.where(col(Columns.FOLD).equalTo(fold));
    List<PipelineStage> stages = family.preparation(plan);
    PipelineModel preparation =
        new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(train);
    return new CrossValidation.Fold(
        keep(preparation.transform(train)), keep(preparation.transform(validation)));
  }

  /** Keeps only what estimators and metrics read, and caches it. */
  private Dataset<Row> keep(Dataset<Row> prepared) {
    List<Column> columns = new ArrayList<>();
    for (String name : new String[] {Columns.FEATURES, Columns.LABEL, Columns.WEIGHT}) {
      if (List.of(prepared.columns()).contains(name)) {
        columns.add(col(name));
      }
    }
    Dataset<Row> kept =
        prepared.select(columns.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(kept);
    return kept;
  }

  @Override
  public void close() {
    cached.forEach(Dataset::unpersist);
  }
}
