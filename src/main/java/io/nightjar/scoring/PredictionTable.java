package io.nightjar.scoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.Warehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A prediction table ({@code scoring.output}; columns in docs/tables.md), partitioned by {@code
 * score_date}, and its {@code _current} view. Its columns, writes and the rule that picks an
 * entity's current row live here. Writing a date replaces that model's rows of that date in one
 * Delta commit ({@code replaceWhere}), so a rerun never duplicates and readers never see a
 * half-written date.
 */
public final class PredictionTable {
  public static final String MODEL_NAME = "model_name";
  public static final String MODEL_VERSION = "model_version";
  public static final String RUN_ID = "run_id";
  public static final String SCORE_DATE = "score_date";
  public static final String SCORED_AT = "scored_at";
  public static final String VALID_UNTIL = "valid_until";
  public static final String INPUT_VERSION = "input_version";
  public static final String CURRENT_SUFFIX = "_current";

  /** One entity's rows, newest first: the first is the entity's current row (all descending). */
  private static final List<String> NEWEST_FIRST = List.of(SCORE_DATE, SCORED_AT);

  /** The working column of {@link #rankPerEntity}: 1 for the current row of each entity. */
  private static final String RANK = "__rank";

  /**
   * The most files of one date that a lookup by id may have to read before {@code score} lays the
   * date out ({@link #filesPerId}); beyond it, {@link #optimizeDate} runs.
   */
  public static final int FILES_PER_LOOKUP = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Warehouse warehouse;
  private final TableName table;
  private final String idColumn;
  private final DataType idType;
  private final Task task;

  public PredictionTable(
      Warehouse warehouse, TableName table, String idColumn, DataType idType, Task task) {
    this.warehouse = warehouse;
    this.table = table;
    this.idColumn = Identifiers.sqlName("data.id", idColumn);
    this.idType = idType;
    this.task = task;
  }

  public TableName name() {
    return table;
  }

  public TableName currentView() {
    return new TableName(table.database(), table.table() + CURRENT_SUFFIX);
  }

  /** The table's columns, in order. */
  public StructType schema() {
    StructType schema =
        new StructType().add(idColumn, idType, false).add(Columns.PREDICTION, DoubleType, false);
    if (task == Task.CLASSIFICATION) {
      schema = schema.add(Columns.PROBABILITY, DoubleType, true);
    }
    return schema
        .add(MODEL_NAME, StringType, false)
        .add(MODEL_VERSION, IntegerType, false)
        .add(RUN_ID, StringType, false)
        .add(SCORE_DATE, DateType, false)
        .add(SCORED_AT, TimestampType, false)
        .add(VALID_UNTIL, TimestampType, false)
        .add(INPUT_VERSION, LongType, true);
  }

  /**
   * Replaces {@code model}'s rows of {@code date} with {@code rows} (which have exactly {@link
   * #schema()}'s columns).
   */
  public void replaceDate(Dataset<Row> rows, String model, LocalDate date) {
    warehouse.ensureTable(table, schema(), List.of(SCORE_DATE));
    String predicate = DeltaWrites.modelOnDate(SCORE_DATE, date, MODEL_NAME, model);
    DeltaWrites.replaceWhere(
        "write the predictions of " + model + " for " + date,
        rows,
        warehouse.location(table),
        predicate);
  }

  /**
   * Lays out {@code date}'s partition for point lookups: Delta {@code OPTIMIZE ... ZORDER BY (id)}
   * rewrites it into files of disjoint id ranges (at most {@code
   * spark.databricks.delta.optimize.maxFileSize} each), so that Delta's per-file min/max statistics
   * let a query by id skip every other file of the date. One commit that changes no data ({@code
   * dataChange = false}).
   */
  public void optimizeDate(LocalDate date) {
    DeltaRetry.run(
        "optimize the predictions of " + date + " in " + table,
        () ->
            DeltaTable.forPath(warehouse.spark(), warehouse.location(table))
                .optimize()
                .where(SCORE_DATE + " = DATE " + Identifiers.literal(date.toString()))
                .executeZOrderBy(idColumn));
  }

  /**
   * The most files of {@code date}'s partition that one id can be in, by the files' min/max id
   * statistics in the Delta log (no data is read): 1 when the files hold disjoint id ranges, so
   * that a lookup by id reads one file of the date and {@link #optimizeDate} would gain nothing.
   * That is the case when the scoring input is itself clustered by id (an entity table written in
   * id order or Z-ordered): scoring keeps each input split's rows together and in order. A file
   * without statistics counts as holding every id.
   */
  public int filesPerId(LocalDate date) {
    Dataset<Row> files =
        DeltaLog.forTable(warehouse.spark(), warehouse.location(table))
            .update(false, Option.empty(), Option.empty())
            .allFiles()
            .toDF()
            .where(col("partitionValues").getItem(SCORE_DATE).equalTo(date.toString()))
            .select("stats");
    List<Comparable<Object>[]> ranges = new ArrayList<>();
    int unbounded = 0;
    for (Row file : files.collectAsList()) {
      Comparable<Object>[] range = idRange(file.isNullAt(0) ? null : file.getString(0));
      if (range == null) {
        unbounded++;
      } else {
        ranges.add(range);
      }
    }
    return unbounded + IdRanges.maxOverlap(ranges);
  }

  /** The file's [min, max] id from its statistics, or null when they do not hold both. */
  @SuppressWarnings("unchecked")
  private Comparable<Object>[] idRange(String stats) {
    if (stats == null) {
      return null;
    }
    try {
      JsonNode root = JSON.readTree(stats);
      JsonNode min = root.path("minValues").path(idColumn);
      JsonNode max = root.path("maxValues").path(idColumn);
      if (min.isMissingNode() || max.isMissingNode() || min.isNull() || max.isNull()) {
        return null;
      }
      return min.isNumber()
          ? new Comparable[] {min.decimalValue(), max.decimalValue()}
          : new Comparable[] {min.asText(), max.asText()};
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Deletes {@code model}'s rows scored before {@code firstKept} that a later row of the same
   * entity supersedes, in one commit ({@code MERGE ... WHEN MATCHED THEN DELETE}). An entity's
   * latest row is never deleted, however old, so the {@code _current} view shows the same rows
   * before and after. Returns the number of rows deleted (0, without a commit, when no row is older
   * than {@code firstKept}).
   */
  public long deleteSupersededBefore(String model, LocalDate firstKept) {
    String cutoff = "DATE " + Identifiers.literal(firstKept.toString());
    String ofModel = MODEL_NAME + " = " + Identifiers.literal(model);
    if (rows().where(ofModel + " AND " + SCORE_DATE + " < " + cutoff).limit(1).isEmpty()) {
      return 0;
    }
    String id = Identifiers.quote(idColumn);
    return DeltaRetry.run(
        "delete the predictions of " + model + " scored before " + firstKept + " from " + table,
        () -> {
          // Each entity's latest score date; a row older than the cutoff and than its entity's
          // latest goes.
          Dataset<Row> latest =
              rows().where(ofModel).groupBy(col(idColumn)).agg(max(col(SCORE_DATE)).as("__latest"));
          DeltaTable target = DeltaTable.forPath(warehouse.spark(), warehouse.location(table));
          long before = target.history(1).select("version").first().getLong(0);
          target
              .as("t")
              .merge(
                  latest.as("s"),
                  "t."
                      + id
                      + " = s."
                      + id
                      + " AND t."
                      + ofModel
                      + " AND t."
                      + SCORE_DATE
                      + " < "
                      + cutoff
                      + " AND t."
                      + SCORE_DATE
                      + " < s.__latest")
              .whenMatched()
              .delete()
              .execute();
          // The Java merge builder returns nothing in Delta 3.3; the commit's metrics say what it
          // deleted (a merge that matches nothing may commit nothing).
          Row last = target.history(1).select("version", "operationMetrics").first();
          if (last.getLong(0) == before) {
            return 0L;
          }
          return Long.parseLong(
              last.<String, String>getMap(1).get("numTargetRowsDeleted").getOrElse(() -> "0"));
        });
  }

  private Dataset<Row> rows() {
    return warehouse.spark().read().format("delta").load(warehouse.location(table));
  }

  /** {@code model}'s rows of {@code rows} (a prediction table, or a version of it). */
  public static Dataset<Row> ofModel(Dataset<Row> rows, String model) {
    return rows.where(col(MODEL_NAME).equalTo(model));
  }

  /** The order of one entity's rows, newest first, for a window over prediction rows. */
  public static Column[] newestFirst() {
    return NEWEST_FIRST.stream().map(c -> col(c).desc()).toArray(Column[]::new);
  }

  /**
   * The one definition of an entity's latest row, as SQL: each row's rank among its entity's rows,
   * newest first ({@code score_date}, then {@code scored_at}, descending); rank 1 is the row the
   * {@code _current} view shows. Both {@link #latestPerEntity} and the view's SQL ({@link
   * #createCurrentView}) use it.
   */
  private static String rankPerEntity(String idColumn) {
    List<String> order = new ArrayList<>();
    for (String column : NEWEST_FIRST) {
      order.add(column + " DESC");
    }
    return "row_number() OVER (PARTITION BY "
        + Identifiers.quote(idColumn)
        + " ORDER BY "
        + String.join(", ", order)
        + ")";
  }

  /**
   * The rows the {@code _current} view shows for {@code rows} (all of a prediction table's columns,
   * or a version of them), without {@code is_fresh}: the latest {@code score_date}, then latest
   * {@code scored_at}, of each id.
   */
  public static Dataset<Row> latestPerEntity(Dataset<Row> rows, String idColumn) {
    return rows.withColumn(RANK, expr(rankPerEntity(idColumn))).where(RANK + " = 1").drop(RANK);
  }

  /**
   * Creates the {@code _current} view: the latest score of each entity (every row in the table
   * comes from a run that succeeded, because a failed run commits nothing), with {@code is_fresh} =
   * now &lt; valid_until. Stale rows stay visible, flagged, so a missed nightly run never makes
   * answers disappear.
   */
  public void createCurrentView() {
    List<String> columns = new ArrayList<>();
    for (String field : schema().fieldNames()) {
      columns.add(Identifiers.quote(field));
    }
    String sql =
        "SELECT "
            + String.join(", ", columns)
            + ", current_timestamp() < "
            + VALID_UNTIL
            + " AS is_fresh FROM (SELECT *, "
            + rankPerEntity(idColumn)
            + " AS "
            + RANK
            + " FROM "
            + table.sql()
            + ") WHERE "
            + RANK
            + " = 1";
    warehouse.createView(currentView(), sql);
  }
}
