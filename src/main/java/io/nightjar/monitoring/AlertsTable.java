package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import io.nightjar.config.TableName;
import io.nightjar.registry.SparkTableRow;
import io.nightjar.registry.TableRow;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code alerts} table: one row per condition of a model that needs a person, open while {@code
 * resolved_at} is null. The jobs that judge the model's conditions ({@code status}, and {@code
 * nightly} at its end) bring the table in line with what they found in one {@code MERGE}: a
 * condition already open keeps its row and its {@code since}, a new one gets a row, and an open row
 * of a judged kind whose condition cleared gets {@code resolved_at}. So a rerun that finds the same
 * conditions changes no row's identity and never duplicates one.
 */
public final class AlertsTable extends WarehouseTable {
  public static final String NAME = "alerts";

  /** The model's predictions are past {@code valid_until}. */
  public static final String STALE_PREDICTIONS = "stale_predictions";

  /** The model has never been scored into its prediction table. */
  public static final String MISSING_PREDICTIONS = "missing_predictions";

  /** The last run of a job failed. */
  public static final String RUN_FAILED = "run_failed";

  /** The last {@code nightly} scored with production because its train failed or timed out. */
  public static final String RUN_DEGRADED = "run_degraded";

  /** The last {@code train} was stopped at its deadline ({@code nightly.train_deadline}). */
  public static final String RUN_TIMED_OUT = "run_timed_out";

  /** A run is still {@code running} past its expected end: its process was probably killed. */
  public static final String RUN_STUCK = "run_stuck";

  /** The last run of a job took more than {@code monitoring.slow_run_factor} × its median. */
  public static final String RUN_SLOW = "run_slow";

  /** No late label for {@code monitoring.labels_missing_after} of evaluated dates. */
  public static final String LABELS_MISSING = "labels_missing";

  /** Feature or prediction drift above {@code monitoring.drift_psi_alert} on the latest date. */
  public static final String DRIFT = "drift";

  /** The tuning metric on late labels worse than the holdout by the degradation factor. */
  public static final String DEGRADATION = "degradation";

  /** Every kind, in the order {@code status} reports them. */
  public static final List<String> KINDS =
      List.of(
          MISSING_PREDICTIONS,
          STALE_PREDICTIONS,
          RUN_FAILED,
          RUN_DEGRADED,
          RUN_TIMED_OUT,
          RUN_STUCK,
          RUN_SLOW,
          LABELS_MISSING,
          DRIFT,
          DEGRADATION);

  public static final String KIND = "kind";
  public static final String SINCE = "since";
  public static final String DETAILS = "details";
  public static final String RESOLVED_AT = "resolved_at";

  public static final StructType SCHEMA =
      new StructType()
          .add(MODEL_NAME, StringType, false)
          .add(KIND, StringType, false)
          .add(SINCE, TimestampType, false)
          .add(DETAILS, StringType, false)
          .add(RESOLVED_AT, TimestampType, true);

  public AlertsTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /**
   * Makes {@code open} the open alerts of {@code model} among {@code kinds}, in one commit: opens
   * those not open yet, updates the details of those open already (keeping their {@code since}),
   * and resolves at {@code now} the open ones of {@code kinds} that are not in {@code open}.
   * Creates the table when missing. Kinds outside {@code kinds} are left alone.
   */
  public void sync(String model, Collection<String> kinds, List<Alert> open, Timestamp now) {
    ensureTable();
    List<Row> rows = new ArrayList<>();
    for (Alert alert : open) {
      // The MERGE matches one source row per open row: one alert per kind.
      if (!kinds.contains(alert.kind())
          || open.stream().filter(a -> a.kind().equals(alert.kind())).count() > 1) {
        throw new IllegalArgumentException(
            "alert kind " + alert.kind() + " is not one of " + kinds + " or is given twice");
      }
      rows.add(RowFactory.create(model, alert.kind(), alert.since(), alert.details(), null));
    }
    // Nothing changed (the usual case of a repeated status): no commit.
    if (!changes(open(model), kinds, open)) {
      return;
    }
    Column stillOpen =
        col("t." + MODEL_NAME)
            .equalTo(lit(model))
            .and(col("t." + RESOLVED_AT).isNull())
            .and(col("t." + KIND).isin(kinds.toArray()));
    merge(
        "write the alerts of model " + model,
        frame(rows),
        col("t." + MODEL_NAME)
            .equalTo(col("s." + MODEL_NAME))
            .and(col("t." + KIND).equalTo(col("s." + KIND)))
            .and(col("t." + RESOLVED_AT).isNull()),
        clauses ->
            clauses
                .whenMatched()
                .update(Map.of(DETAILS, col("s." + DETAILS)))
                .whenNotMatched()
                .insertAll()
                .whenNotMatchedBySource(stillOpen)
                .update(Map.of(RESOLVED_AT, lit(now))));
  }

  /** The open alerts of {@code model}, by kind; none when the table does not exist. */
  public List<Alert> open(String model) {
    List<TableRow> rows = new ArrayList<>();
    for (Row row : ofModel(model).where(col(RESOLVED_AT).isNull()).collectAsList()) {
      rows.add(new SparkTableRow(row));
    }
    return open(rows);
  }

  /**
   * The open alerts among one model's {@code rows} of the table (read by any reader), by kind: the
   * one conversion from rows to alerts.
   */
  public static List<Alert> open(List<TableRow> rows) {
    List<Alert> out = new ArrayList<>();
    for (TableRow row : rows) {
      if (row.get(RESOLVED_AT) == null) {
        out.add(new Alert(row.get(KIND), row.<Timestamp>get(SINCE), row.<String>get(DETAILS)));
      }
    }
    out.sort(Comparator.comparing(Alert::kind));
    return out;
  }

  /**
   * True when making {@code found} the open alerts of {@code kinds} would change the table, whose
   * open alerts are {@code open}: an alert to open, to resolve, or whose details changed. A status
   * that finds what is already open writes nothing (and needs no Spark).
   */
  public static boolean changes(List<Alert> open, Collection<String> kinds, List<Alert> found) {
    List<String> before =
        open.stream()
            .filter(a -> kinds.contains(a.kind()))
            .map(a -> a.kind() + "\n" + a.details())
            .sorted()
            .toList();
    return !before.equals(found.stream().map(a -> a.kind() + "\n" + a.details()).sorted().toList());
  }
}
