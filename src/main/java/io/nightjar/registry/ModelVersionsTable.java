package io.nightjar.registry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_versions} table: one row per registered {@link ModelVersion}, every field a
 * column (see docs/tables.md). Its name, columns, row conversion, reads and the insert of a new
 * version live here. A missing table reads as empty.
 */
public final class ModelVersionsTable extends RegistryTable {
  public static final String NAME = "model_versions";

  private static final String MODEL_NAME = "model_name";
  private static final String VERSION = "version";
  private static final String LOGICAL_DATE = "logical_date";
  private static final String SPEC_SHA256 = "spec_sha256";
  private static final String TRAINING_DATA_VERSION = "training_data_version";

  public static final StructType SCHEMA =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(VERSION, IntegerType, false)
          .add("run_id", StringType, false)
          .add("created_at", TimestampType, false)
          .add(LOGICAL_DATE, DateType, true)
          .add("author", StringType, true)
          .add("task", StringType, false)
          .add("family", StringType, false)
          .add("engine", StringType, true)
          .add("loss", StringType, false)
          .add("quantile", DoubleType, true)
          .add("params", createMapType(StringType, StringType), false)
          .add("features", createArrayType(StringType), false)
          .add("categorical", createArrayType(StringType), false)
          .add("id_col", StringType, false)
          .add("label", StringType, false)
          .add("weight_col", StringType, true)
          .add("training_source", StringType, false)
          .add(TRAINING_DATA_VERSION, LongType, true)
          .add("training_rows", LongType, false)
          .add("holdout_rows", LongType, false)
          .add("cv_metric", StringType, false)
          .add("cv_mean", DoubleType, false)
          .add("cv_std", DoubleType, false)
          .add("holdout_metrics", createMapType(StringType, DoubleType), false)
          .add("tuning_seconds", DoubleType, false)
          .add("train_seconds", DoubleType, false)
          .add("budget_exhausted", BooleanType, false)
          .add("artifact_uri", StringType, false)
          .add("packages", createMapType(StringType, StringType), false)
          .add("spec_yaml", StringType, false)
          .add(SPEC_SHA256, StringType, false);

  ModelVersionsTable(Warehouse warehouse, String database) {
    super(warehouse, database, NAME, SCHEMA);
  }

  /** True once a job has created the table. */
  boolean exists() {
    return warehouse.exists(table);
  }

  /**
   * Inserts {@code version} unless its number is taken or a version of the same training (logical
   * date, spec and training data version) exists; true when it was inserted.
   *
   * @throws io.delta.exceptions.DeltaConcurrentModificationException when a concurrent registration
   *     committed first
   */
  boolean insertIfNew(ModelVersion version) {
    // Insert-if-absent: the MERGE reports whether it inserted, i.e. whether this number was still
    // free and no version of the same training exists. A concurrent registration that committed
    // first makes it fail with a conflict (it read the whole table) or insert nothing.
    String match =
        String.format(
            "t.%1$s = s.%1$s AND (t.%2$s = s.%2$s"
                + " OR (t.%3$s = s.%3$s AND t.%4$s = s.%4$s AND t.%5$s <=> s.%5$s))",
            MODEL_NAME, VERSION, LOGICAL_DATE, SPEC_SHA256, TRAINING_DATA_VERSION);
    Dataset<Row> row = frame(List.of(toRow(version)));
    return DeltaWrites.insertIfAbsent(row, warehouse.location(table), match) == 1L;
  }

  /** The highest version of {@code model}, 0 when it has none. */
  int latestVersion(String model) {
    Row max = ofModel(model).agg(org.apache.spark.sql.functions.max(VERSION)).first();
    return max.isNullAt(0) ? 0 : max.getInt(0);
  }

  Optional<ModelVersion> find(String model, int version) {
    return first(ofModel(model).where(col(VERSION).equalTo(version)));
  }

  /** Every version of {@code model}, oldest first. */
  List<ModelVersion> versions(String model) {
    List<ModelVersion> out = new ArrayList<>();
    for (Row row : ofModel(model).orderBy(VERSION).collectAsList()) {
      out.add(fromRow(row));
    }
    return out;
  }

  /**
   * The latest version of {@code model} registered for the same date, spec and training data, if
   * any.
   */
  Optional<ModelVersion> findSameTraining(
      String model, Date logicalDate, String specSha256, Long dataVersion) {
    var condition =
        col(LOGICAL_DATE)
            .equalTo(lit(logicalDate))
            .and(col(SPEC_SHA256).equalTo(specSha256))
            .and(
                dataVersion == null
                    ? col(TRAINING_DATA_VERSION).isNull()
                    : col(TRAINING_DATA_VERSION).equalTo(dataVersion));
    return first(ofModel(model).where(condition).orderBy(col(VERSION).desc()).limit(1));
  }

  /** Names of every registered model, sorted. */
  List<String> models() {
    return rows()
        .select(MODEL_NAME)
        .distinct()
        .orderBy(MODEL_NAME)
        .as(Encoders.STRING())
        .collectAsList();
  }

  private Dataset<Row> ofModel(String model) {
    return rows().where(col(MODEL_NAME).equalTo(model));
  }

  private static Optional<ModelVersion> first(Dataset<Row> rows) {
    List<Row> found = rows.collectAsList();
    return found.isEmpty() ? Optional.empty() : Optional.of(fromRow(found.get(0)));
  }

  static Row toRow(ModelVersion v) {
    return RowFactory.create(
        v.modelName(),
        v.version(),
        v.runId(),
        v.createdAt(),
        v.logicalDate(),
        v.author(),
        v.task(),
        v.family(),
        v.engine(),
        v.loss(),
        v.quantile(),
        v.params(),
        v.features(),
        v.categorical(),
        v.idCol(),
        v.label(),
        v.weightCol(),
        v.trainingSource(),
        v.trainingDataVersion(),
        v.trainingRows(),
        v.holdoutRows(),
        v.cvMetric(),
        v.cvMean(),
        v.cvStd(),
        v.holdoutMetrics(),
        v.tuningSeconds(),
        v.trainSeconds(),
        v.budgetExhausted(),
        v.artifactUri(),
        v.packages(),
        v.specYaml(),
        v.specSha256());
  }

  static ModelVersion fromRow(Row r) {
    return new ModelVersion(
        r.getAs(MODEL_NAME),
        r.<Integer>getAs(VERSION),
        r.getAs("run_id"),
        r.getAs("created_at"),
        r.getAs(LOGICAL_DATE),
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
        r.getAs(TRAINING_DATA_VERSION),
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
        r.getAs(SPEC_SHA256));
  }

  private static <K, V> Map<K, V> map(Row row, String field) {
    return row.getJavaMap(row.fieldIndex(field));
  }
}
