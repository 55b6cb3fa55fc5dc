package io.nightjar.train.tuning;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/** The {@code tuning_trials} table: one row per evaluated configuration, appended as each trial finishes. */
public final class TrialsTable {
  public static final String TABLE = "tuning_trials";

  public static final StructType SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("run_id", StringType, false)
          .add("logical_date", DateType, true)
          .add("trial_id", IntegerType, false)
          .add("family", StringType, false)
          .add("engine", StringType, true)
          .add("loss", StringType, false)
          .add("params", createMapType(StringType, StringType), false)
          .add("config_key", StringType, false)
          .add("metric", StringType, false)
          .add("mean", DoubleType, true)
          .add("std", DoubleType, true)
          .add("fold_values", createArrayType(DoubleType), false)
          .add("seconds", DoubleType, false)
          .add("status", StringType, false)
          .add("error", StringType, true)
          .add("created_at", TimestampType, false);

  private final Warehouse warehouse;
  private final TableName table;

  public TrialsTable(Warehouse warehouse, String database) {
    this.warehouse = warehouse;
    this.table = new TableName(database, TABLE);
  }

  public void ensureTable() {
    warehouse.ensureTable(table, SCHEMA, List.of());
  }

  /**
   * The configurations ({@link KFoldSearch.Point#key()}) of {@code model}'s finished past trials on {@code metric},
   * best mean first, at most {@code limit}; empty before the table exists. This is what warm start seeds a search
   * with.
   */
  public List<String> bestPast(String model, Metric metric, int limit) {
    if (!warehouse.exists(table)) {
      return List.of();
    }
    var rows =
        warehouse
            .spark()
            .read()
            .format("delta")
            .load(warehouse.location(table))
            .where(
                col("model_name").equalTo(model)
                    .and(col("status").equalTo(Trial.DONE))
                    .and(col("metric").equalTo(Choices.name(metric)))
                    .and(col("mean").isNotNull()))
            .groupBy("config_key")
            .agg(metric.higherIsBetter() ? max("mean").as("best") : min("mean").as("best"))
            .orderBy(metric.higherIsBetter() ? col("best").desc() : col("best").asc())
            .limit(limit)
            .select("config_key");
    return rows.as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  /** Appends one trial of run {@code runId}. */
  public void append(String model, String runId, LocalDate logicalDate, Metric metric, Trial trial) {
    var candidate = trial.candidate();
    Row row =
        RowFactory.create(
            model,
            runId,
            logicalDate == null ? null : Date.valueOf(logicalDate),
            trial.trialId(),
            Choices.name(candidate.family()),
            candidate.engine() == null ? null : Choices.name(candidate.engine()),
            Choices.name(candidate.loss()),
            GridPoints.describe(trial.params()),
            KFoldSearch.Point.key(candidate.label(), GridPoints.describe(trial.params())),
            Choices.name(metric),
            Double.isNaN(trial.mean()) ? null : trial.mean(),
            Double.isNaN(trial.std()) ? null : trial.std(),
            trial.foldValues(),
            trial.seconds(),
            trial.status(),
            trial.error(),
            Timestamp.from(Instant.now()));
    var frame = warehouse.spark().createDataFrame(List.of(row), SCHEMA);
    DeltaRetry.run(
        "record a tuning trial",
        () -> frame.write().format("delta").mode("append").option("mergeSchema", "true").save(warehouse.location(table)));
  }
}
