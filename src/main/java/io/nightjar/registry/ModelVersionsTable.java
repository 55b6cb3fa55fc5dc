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

import io.nightjar.config.Choices;
import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Metric;
import io.nightjar.config.Task;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_versions} table: one row per registered {@link ModelVersion}, every field of its
 * parts a column (see docs/tables.md). Its name, columns, row conversion, reads and the insert of a
 * new version live here. The row conversion is the one place where task, family, engine, loss and
 * metric become text and are parsed back. A missing table reads as empty.
 */
public final class ModelVersionsTable extends RegistryTable {
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

  static Row toRow(ModelVersion v) {
    Provenance provenance = v.provenance();
    Recipe recipe = v.recipe();
    FeatureSchema schema = v.schema();
    TrainingData data = v.trainingData();
    Evaluation evaluation = v.evaluation();
    TrainingCost cost = v.cost();
    Artifact artifact = v.artifact();
    return RowFactory.create(
        v.modelName(),
        v.version(),
        provenance.runId(),
        provenance.createdAt(),
        provenance.logicalDate(),
        provenance.author(),
        Choices.name(recipe.task()),
        Choices.name(recipe.family()),
        recipe.engine() == null ? null : Choices.name(recipe.engine()),
        Choices.name(recipe.loss()),
        recipe.quantile(),
        recipe.params(),
        schema.features(),
        schema.categorical(),
        schema.idCol(),
        schema.label(),
        schema.weightCol(),
        data.source(),
        data.deltaVersion(),
        data.rows(),
        data.holdoutRows(),
        Choices.name(evaluation.cvMetric()),
        evaluation.cvMean(),
        evaluation.cvStd(),
        evaluation.holdoutMetrics(),
        cost.tuningSeconds(),
        cost.trainSeconds(),
        cost.budgetExhausted(),
        artifact.uri(),
        artifact.packages(),
        artifact.specYaml(),
        artifact.specSha256());
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
