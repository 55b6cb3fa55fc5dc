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

import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_versions} table: one row per registered {@link ModelVersion}, every field a
 * column (see docs/tables.md). Its name, columns, row conversion, reads and the insert of a new
 * version live here. A missing table reads as empty.
 */
public final class ModelVersionsTable {
  public static final String NAME = "model_versions";

  /** The column every registry table keys on (model_versions, model_aliases, model_events). */
  public static final String MODEL_NAME = "model_name";

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

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final TableName table;

  ModelVersionsTable(Warehouse warehouse, String database) {
    this.spark = warehouse.spark();
    this.warehouse = warehouse;
    this.table = new TableName(database, NAME);
  }

  void ensureTable() {
    warehouse.ensureTable(table, SCHEMA, List.of());
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
    String source = "nightjar_new_version_" + UUID.randomUUID().toString().replace("-", "");
    spark.createDataFrame(List.of(toRow(version)), SCHEMA).createOrReplaceTempView(source);
    try {
      // Insert-if-absent: the MERGE reports whether it inserted, i.e. whether this number was still
      // free and no version of the same training exists. A concurrent registration that committed
      // first makes it fail with a conflict (it read the whole table) or insert nothing.
      Row result =
          spark
              .sql(
                  "MERGE INTO delta."
                      + Identifiers.quote(warehouse.location(table))
                      + " t USING "
                      + source
                      + " s"
                      + " ON t."
                      + MODEL_NAME
                      + " = s."
                      + MODEL_NAME
                      + " AND (t."
                      + VERSION
                      + " = s."
                      + VERSION
                      + " OR (t."
                      + LOGICAL_DATE
                      + " = s."
                      + LOGICAL_DATE
                      + " AND t."
                      + SPEC_SHA256
                      + " = s."
                      + SPEC_SHA256
                      + " AND t."
                      + TRAINING_DATA_VERSION
                      + " <=> s."
                      + TRAINING_DATA_VERSION
                      + "))"
                      + " WHEN NOT MATCHED THEN INSERT *")
              .first();
      return result.<Long>getAs("num_inserted_rows") == 1L;
    } finally {
      spark.catalog().dropTempView(source);
    }
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
      out.add(fromRow(new SparkTableRow(row)));
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

  private Dataset<Row> rows() {
    return warehouse.readOrEmpty(table, SCHEMA);
  }

  private static Optional<ModelVersion> first(Dataset<Row> rows) {
    List<Row> found = rows.collectAsList();
    return found.isEmpty()
        ? Optional.empty()
        : Optional.of(fromRow(new SparkTableRow(found.get(0))));
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

  /**
   * The version a row of the table holds, read by Spark or by Delta Kernel: the one place that
   * builds a {@link ModelVersion} from the table.
   */
  public static ModelVersion fromRow(TableRow r) {
    return new ModelVersion(
        r.get(MODEL_NAME),
        r.<Integer>get(VERSION),
        r.get("run_id"),
        r.get("created_at"),
        r.get(LOGICAL_DATE),
        r.get("author"),
        r.get("task"),
        r.get("family"),
        r.get("engine"),
        r.get("loss"),
        r.get("quantile"),
        r.map("params"),
        r.list("features"),
        r.list("categorical"),
        r.get("id_col"),
        r.get("label"),
        r.get("weight_col"),
        r.get("training_source"),
        r.get(TRAINING_DATA_VERSION),
        r.<Long>get("training_rows"),
        r.<Long>get("holdout_rows"),
        r.get("cv_metric"),
        r.<Double>get("cv_mean"),
        r.<Double>get("cv_std"),
        r.map("holdout_metrics"),
        r.<Double>get("tuning_seconds"),
        r.<Double>get("train_seconds"),
        r.<Boolean>get("budget_exhausted"),
        r.get("artifact_uri"),
        r.map("packages"),
        r.get("spec_yaml"),
        r.get(SPEC_SHA256));
  }
}
