package io.nightjar.registry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import io.nightjar.config.Choices;
import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Metric;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.RowLayout;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_versions} table: one row per registered {@link ModelVersion}, every field of its
 * parts a column (see docs/tables.md). Its name, columns, row conversion, reads and the insert of a
 * new version live here. The row conversion is the one place where task, family, engine, loss and
 * metric become text and are parsed back. A missing table reads as empty.
 */
public final class ModelVersionsTable extends WarehouseTable {
  public static final String NAME = "model_versions";

  /** A version's number; {@code model_aliases} and {@code model_events} name a version by it. */
  static final String VERSION = "version";

  private static final String LOGICAL_DATE = "logical_date";
  private static final String SPEC_SHA256 = "spec_sha256";
  private static final String TRAINING_DATA_VERSION = "training_data_version";

  private static final RowLayout<ModelVersion> COLUMNS =
      new RowLayout<ModelVersion>()
          .required(MODEL_NAME, StringType, ModelVersion::modelName)
          .required(VERSION, IntegerType, ModelVersion::version)
          .required("run_id", StringType, v -> v.provenance().runId())
          .required("created_at", TimestampType, v -> v.provenance().createdAt())
          .nullable(LOGICAL_DATE, DateType, v -> v.provenance().logicalDate())
          .nullable("author", StringType, v -> v.provenance().author())
          .required("task", StringType, v -> Choices.name(v.recipe().task()))
          .required("family", StringType, v -> Choices.name(v.recipe().family()))
          .nullable("engine", StringType, v -> nameOrNull(v.recipe().engine()))
          .required("loss", StringType, v -> Choices.name(v.recipe().loss()))
          .nullable("quantile", DoubleType, v -> v.recipe().quantile())
          .required("params", createMapType(StringType, StringType), v -> v.recipe().params())
          .required("features", createArrayType(StringType), v -> v.schema().features())
          .required("categorical", createArrayType(StringType), v -> v.schema().categorical())
          .required("id_col", StringType, v -> v.schema().idCol())
          .required("label", StringType, v -> v.schema().label())
          .nullable("weight_col", StringType, v -> v.schema().weightCol())
          .required("training_source", StringType, v -> v.trainingData().source())
          .nullable(TRAINING_DATA_VERSION, LongType, v -> v.trainingData().deltaVersion())
          .required("training_rows", LongType, v -> v.trainingData().rows())
          .required("holdout_rows", LongType, v -> v.trainingData().holdoutRows())
          .required("cv_metric", StringType, v -> Choices.name(v.evaluation().cvMetric()))
          .required("cv_mean", DoubleType, v -> v.evaluation().cvMean())
          .required("cv_std", DoubleType, v -> v.evaluation().cvStd())
          .required(
              "holdout_metrics",
              createMapType(StringType, DoubleType),
              v -> v.evaluation().holdoutMetrics())
          .required("tuning_seconds", DoubleType, v -> v.cost().tuningSeconds())
          .required("train_seconds", DoubleType, v -> v.cost().trainSeconds())
          .required("budget_exhausted", BooleanType, v -> v.cost().budgetExhausted())
          .required("artifact_uri", StringType, v -> v.artifact().uri())
          .required("packages", createMapType(StringType, StringType), v -> v.artifact().packages())
          .required("spec_yaml", StringType, v -> v.artifact().specYaml())
          .required(SPEC_SHA256, StringType, v -> v.artifact().specSha256());

  public static final StructType SCHEMA = COLUMNS.schema();

  ModelVersionsTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
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
    Row latest = ofModel(model).agg(max(VERSION)).first();
    return latest.isNullAt(0) ? 0 : latest.getInt(0);
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

  private static Optional<ModelVersion> first(Dataset<Row> rows) {
    List<Row> found = rows.collectAsList();
    return found.isEmpty()
        ? Optional.empty()
        : Optional.of(fromRow(new SparkTableRow(found.get(0))));
  }

  /**
   * Every column of {@code version}'s row by name, in table order, as the table stores them (task,
   * family, engine, loss and metric in their spec spelling): what {@code models NAME --version N}
   * shows.
   */
  public static Map<String, Object> columns(ModelVersion version) {
    Row row = toRow(version);
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < SCHEMA.size(); i++) {
      out.put(SCHEMA.fields()[i].name(), row.get(i));
    }
    return out;
  }

  static Row toRow(ModelVersion version) {
    return COLUMNS.row(version);
  }

  private static String nameOrNull(Engine engine) {
    return engine == null ? null : Choices.name(engine);
  }

  /**
   * The version a row of the table holds, read by Spark or by Delta Kernel: the one place that
   * builds a {@link ModelVersion} from the table.
   */
  public static ModelVersion fromRow(TableRow r) {
    String engine = r.get("engine");
    return new ModelVersion(
        r.get(MODEL_NAME),
        r.<Integer>get(VERSION),
        new Provenance(r.get("run_id"), r.get("created_at"), r.get(LOGICAL_DATE), r.get("author")),
        new Recipe(
            Choices.parse("task", r.get("task"), Task.class),
            Choices.parse("family", r.get("family"), Family.class),
            engine == null ? null : Choices.parse("engine", engine, Engine.class),
            Choices.parse("loss", r.get("loss"), Loss.class),
            r.get("quantile"),
            r.map("params")),
        new FeatureSchema(
            r.list("features"),
            r.list("categorical"),
            r.get("id_col"),
            r.get("label"),
            r.get("weight_col")),
        new TrainingData(
            r.get("training_source"),
            r.get(TRAINING_DATA_VERSION),
            r.<Long>get("training_rows"),
            r.<Long>get("holdout_rows")),
        new Evaluation(
            Choices.parse("cv_metric", r.get("cv_metric"), Metric.class),
            r.<Double>get("cv_mean"),
            r.<Double>get("cv_std"),
            r.map("holdout_metrics")),
        new TrainingCost(
            r.<Double>get("tuning_seconds"),
            r.<Double>get("train_seconds"),
            r.<Boolean>get("budget_exhausted")),
        new Artifact(
            r.get("artifact_uri"), r.map("packages"), r.get("spec_yaml"), r.get(SPEC_SHA256)));
  }
}
