package io.nightjar.registry;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
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
import io.nightjar.config.Identifiers;
import io.nightjar.config.Metric;
import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.RowLayout;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code tuning_trials} table: one row per evaluated configuration. A run writes its trials in
 * batches, each commit replacing every row of its {@link TrainingAttempt} (model, logical date,
 * spec, data version) with the trials the run knows so far, including those it reused from a killed
 * earlier attempt: so the table holds one set of trials per training, never duplicates, and a
 * killed run leaves the trials of its last batch for the rerun to resume from.
 */
public final class TrialsTable extends WarehouseTable {
  public static final String TABLE = "tuning_trials";

  /** What one row records: a trial of an attempt, as run {@code runId}'s, written at {@code at}. */
  private record Recorded(
      TrainingAttempt attempt, String runId, Metric metric, TrialRow trial, Timestamp at) {}

  private static final RowLayout<Recorded> COLUMNS =
      new RowLayout<Recorded>()
          .required(MODEL_NAME, StringType, r -> r.attempt().model())
          .required("run_id", StringType, Recorded::runId)
          .nullable("logical_date", DateType, r -> Date.valueOf(r.attempt().logicalDate()))
          .required("trial_id", IntegerType, r -> r.trial().trialId())
          .required("family", StringType, r -> Choices.name(r.trial().candidate().family()))
          .nullable("engine", StringType, r -> engineName(r.trial().candidate().engine()))
          .required("loss", StringType, r -> Choices.name(r.trial().candidate().loss()))
          .required("params", createMapType(StringType, StringType), r -> r.trial().params())
          .required("config_key", StringType, r -> r.trial().configKey())
          .required("metric", StringType, r -> Choices.name(r.metric()))
          .nullable("mean", DoubleType, r -> nanAsNull(r.trial().mean()))
          .nullable("std", DoubleType, r -> nanAsNull(r.trial().std()))
          .required("fold_values", createArrayType(DoubleType), r -> r.trial().foldValues())
          .required("seconds", DoubleType, r -> r.trial().seconds())
          .required("status", StringType, r -> r.trial().status().sqlName())
          .nullable("error", StringType, r -> r.trial().error())
          .required("created_at", TimestampType, Recorded::at)
          // Added for resume; nullable so that older tables gain them (Warehouse.ensureTable adds
          // missing columns).
          .nullable("spec_sha256", StringType, r -> r.attempt().specSha256())
          .nullable("training_data_version", LongType, r -> r.attempt().dataVersion())
          .nullable("rung", IntegerType, r -> r.trial().rung())
          .nullable("resumed_from", StringType, r -> r.trial().resumedFrom());

  public static final StructType SCHEMA = COLUMNS.schema();

  public TrialsTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, TABLE), SCHEMA);
  }

  /**
   * The configurations ({@code config_key}) of {@code model}'s finished past trials on {@code
   * metric}, best mean first, at most {@code limit}; empty before the table exists. This is what
   * warm start seeds a search with.
   */
  public List<String> bestPast(String model, Metric metric, int limit) {
    return bestPast(model, metric, limit, null);
  }

  /**
   * As {@link #bestPast(String, Metric, int)}, without the trials of {@code excluded}: a rerun of a
   * killed attempt must search the points the killed attempt searched, not points its own trials
   * promoted.
   */
  public List<String> bestPast(String model, Metric metric, int limit, TrainingAttempt excluded) {
    if (!exists()) {
      return List.of();
    }
    var rows =
        warehouse
            .read(table)
            .where(
                doneOn(model, metric)
                    .and(
                        excluded == null
                            ? lit(true)
                            : not(coalesce(sameAttempt(excluded), lit(false)))))
            .groupBy("config_key")
            .agg(metric.best(col("mean")).as("best"))
            .orderBy(metric.bestFirst(col("best")))
            .limit(limit)
            .select("config_key");
    return rows.as(Encoders.STRING()).collectAsList();
  }

  /**
   * Every finished ({@code done}) trial of {@code model} on {@code metric}, of every night, without
   * those of {@code excluded} (the training being resumed, which reuses its own trials instead),
   * oldest first; empty before the table exists. What a {@code bayes} search with warm start learns
   * from. A trial on another metric never counts, and a metric belongs to one task.
   */
  public List<HistoricTrial> history(String model, Metric metric, TrainingAttempt excluded) {
    if (!exists()) {
      return List.of();
    }
    List<Row> rows =
        warehouse
            .read(table)
            .where(doneOn(model, metric).and(not(coalesce(sameAttempt(excluded), lit(false)))))
            .orderBy(col("logical_date").asc_nulls_first(), col("run_id"), col("trial_id"))
            .select("logical_date", "config_key", "params", "mean", "seconds")
            .collectAsList();
    List<HistoricTrial> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(
          new HistoricTrial(
              row.isNullAt(0) ? null : row.getDate(0).toLocalDate(),
              row.getString(1),
              row.getJavaMap(2),
              row.getDouble(3),
              row.getDouble(4)));
    }
    return out;
  }

  /**
   * The search history a version's training report draws: the finished ({@code done}) trials of run
   * {@code runId} and of the model's earlier nights on {@code metric}, earlier nights first, each
   * in the order it was evaluated; empty before the table exists or when the run recorded no
   * finished trial.
   */
  public List<SearchHistoryTrial> searchHistory(String model, Metric metric, String runId) {
    if (!exists()) {
      return List.of();
    }
    Dataset<Row> done = warehouse.read(table).where(doneOn(model, metric));
    Row own = done.where(col("run_id").equalTo(runId)).agg(max("logical_date")).first();
    if (own.isNullAt(0)) {
      return List.of();
    }
    List<SearchHistoryTrial> out = new ArrayList<>();
    for (Row row :
        done.where(col("run_id").equalTo(runId).or(col("logical_date").lt(lit(own.getDate(0)))))
            .orderBy(col("logical_date"), col("run_id"), col("trial_id"))
            .select("logical_date", "params", "mean", "run_id")
            .collectAsList()) {
      out.add(
          new SearchHistoryTrial(
              row.getDate(0).toLocalDate(),
              row.getJavaMap(1),
              row.getDouble(2),
              !runId.equals(row.getString(3))));
    }
    return out;
  }

  /** The finished ({@code done}) trials of {@code model} on {@code metric} that have a mean. */
  private static Column doneOn(String model, Metric metric) {
    return col(MODEL_NAME)
        .equalTo(model)
        .and(col("status").equalTo(TrialStatus.DONE.sqlName()))
        .and(col("metric").equalTo(Choices.name(metric)))
        .and(col("mean").isNotNull());
  }

  /**
   * The trials recorded for {@code attempt} (any status), oldest trial number first; empty before
   * the table exists.
   */
  public List<PastTrial> recorded(TrainingAttempt attempt) {
    return trials(sameAttempt(attempt));
  }

  /**
   * The trials run {@code runId} recorded (any status), oldest trial number first; empty before the
   * table exists. A version's training report shows them.
   */
  public List<PastTrial> ofRun(String runId) {
    return trials(col("run_id").equalTo(runId));
  }

  private List<PastTrial> trials(Column where) {
    if (!exists()) {
      return List.of();
    }
    List<Row> rows =
        warehouse
            .read(table)
            .where(where)
            .select(
                "run_id",
                "trial_id",
                "config_key",
                "rung",
                "fold_values",
                "mean",
                "std",
                "seconds",
                "status",
                "error")
            .orderBy("trial_id")
            .collectAsList();
    List<PastTrial> out = new ArrayList<>();
    for (Row row : rows) {
      out.add(
          new PastTrial(
              row.getString(0),
              row.getInt(1),
              row.getString(2),
              row.isNullAt(3) ? 0 : row.getInt(3),
              row.getList(4),
              row.isNullAt(5) ? Double.NaN : row.getDouble(5),
              row.isNullAt(6) ? Double.NaN : row.getDouble(6),
              row.getDouble(7),
              TrialStatus.fromSql(row.getString(8)),
              row.getString(9)));
    }
    return out;
  }

  /**
   * Replaces every row of {@code attempt} with {@code trials}, as run {@code runId}'s, in one Delta
   * commit ({@code replaceWhere}): the rows of a killed earlier attempt go, the trials reused from
   * them come back with {@code resumed_from}.
   */
  public void replace(TrainingAttempt attempt, String runId, Metric metric, List<TrialRow> trials) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (TrialRow trial : trials) {
      rows.add(COLUMNS.row(new Recorded(attempt, runId, metric, trial, now)));
    }
    String predicate = predicate(attempt);
    DeltaWrites.replaceWhere(
        "record tuning trials", frame(rows), warehouse.location(table), predicate);
  }

  private static Column sameAttempt(TrainingAttempt attempt) {
    return expr(predicate(attempt));
  }

  private static String predicate(TrainingAttempt attempt) {
    return String.format(
        "model_name = %s AND logical_date = DATE %s AND spec_sha256 = %s AND training_data_version"
            + " <=> %s",
        Identifiers.literal(attempt.model()),
        Identifiers.literal(attempt.logicalDate().toString()),
        Identifiers.literal(attempt.specSha256()),
        attempt.dataVersion() == null ? "CAST(NULL AS BIGINT)" : attempt.dataVersion() + "L");
  }

  private static String engineName(Engine engine) {
    return engine == null ? null : Choices.name(engine);
  }

  private static Double nanAsNull(double value) {
    return Double.isNaN(value) ? null : value;
  }
}
