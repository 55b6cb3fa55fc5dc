package io.nightjar.registry;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Converts {@link ModelVersion} to and from rows of {@link RegistryTables#MODEL_VERSIONS_SCHEMA}. */
final class ModelVersionRows {
  private ModelVersionRows() {}

  static Row toRow(ModelVersion v) {
    return RowFactory.create(
        v.modelName(), v.version(), v.runId(), v.createdAt(), v.logicalDate(), v.author(), v.task(), v.family(),
        v.engine(), v.loss(), v.quantile(), v.params(), v.features(), v.categorical(), v.idCol(), v.label(),
        v.weightCol(), v.trainingSource(), v.trainingDataVersion(), v.trainingRows(), v.holdoutRows(), v.cvMetric(),
        v.cvMean(), v.cvStd(), v.holdoutMetrics(), v.tuningSeconds(), v.trainSeconds(), v.budgetExhausted(),
        v.artifactUri(), v.packages(), v.specYaml(), v.specSha256());
  }

  static ModelVersion fromRow(Row r) {
    return new ModelVersion(
        r.getAs("model_name"),
        r.<Integer>getAs("version"),
        r.getAs("run_id"),
        r.getAs("created_at"),
        r.getAs("logical_date"),
        r.getAs("author"),
        r.getAs("task"),
        r.getAs("family"),
        r.getAs("engine"),
        r.getAs("loss"),
        r.getAs("quantile"),
        map(r, "params"),
        r.getList(r.fieldIndex("features")),
        r.getList(r.fieldIndex("categorical")),
        r.getAs("id_col"),
        r.getAs("label"),
        r.getAs("weight_col"),
        r.getAs("training_source"),
        r.getAs("training_data_version"),
        r.<Long>getAs("training_rows"),
        r.<Long>getAs("holdout_rows"),
        r.getAs("cv_metric"),
        r.<Double>getAs("cv_mean"),
        r.<Double>getAs("cv_std"),
        map(r, "holdout_metrics"),
        r.<Double>getAs("tuning_seconds"),
        r.<Double>getAs("train_seconds"),
        r.<Boolean>getAs("budget_exhausted"),
        r.getAs("artifact_uri"),
        map(r, "packages"),
        r.getAs("spec_yaml"),
        r.getAs("spec_sha256"));
  }

  private static <K, V> Map<K, V> map(Row row, String field) {
    return row.getJavaMap(row.fieldIndex(field));
  }
}
