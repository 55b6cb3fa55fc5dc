package io.nightjar.registry;

import static io.nightjar.registry.ModelVersionsTable.VERSION;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaWrites;
import io.nightjar.spark.RowLayout;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code model_events} table: the registry's append-only history, one row per {@link
 * ModelEvent}, written in numbered commits per model. Its name, columns, the read of a model's
 * {@link ModelHistory} and the append of a commit live here. A missing table reads as empty.
 */
public final class ModelEventsTable extends WarehouseTable {
  public static final String NAME = "model_events";

  private static final String EVENT = "event";
  private static final String PREVIOUS_VERSION = "previous_version";
  private static final String ACTOR = "actor";
  private static final String REASON = "reason";
  private static final String AT = "at";
  private static final String METRICS = "metrics";
  private static final String RUN_ID = "run_id";

  /**
   * The number of the registry commit that wrote a row, per model; {@code model_aliases} records
   * the commit an alias's position follows from by it.
   */
  static final String SEQ = "seq";

  /** What one row records: an event of {@code model} that registry commit {@code seq} wrote. */
  private record Committed(String model, int seq, ModelEvent event) {}

  private static final RowLayout<Committed> COLUMNS =
      new RowLayout<Committed>()
          .required(MODEL_NAME, StringType, Committed::model)
          .required(VERSION, IntegerType, c -> c.event().version())
          .required(EVENT, StringType, c -> c.event().event().sqlName())
          .nullable(PREVIOUS_VERSION, IntegerType, c -> c.event().previousVersion())
          .required(ACTOR, StringType, c -> c.event().actor())
          .nullable(REASON, StringType, c -> c.event().reason())
          .required(AT, TimestampType, c -> c.event().at())
          .required(METRICS, createMapType(StringType, DoubleType), c -> c.event().metrics())
          .nullable(RUN_ID, StringType, c -> c.event().runId())
          // Nightjar's own column: the number of the registry commit that wrote the event, per
          // model (1, 2, ...). Claiming the next number is how concurrent promotions and rollbacks
          // are told apart (see ModelRegistry).
          .nullable(SEQ, IntegerType, Committed::seq);

  public static final StructType SCHEMA = COLUMNS.schema();

  ModelEventsTable(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, NAME), SCHEMA);
  }

  /** {@code model}'s history, in commit order. */
  ModelHistory history(String model) {
    List<TableRow> rows = new ArrayList<>();
    for (Row row :
        ofModel(model).orderBy(coalesce(col(SEQ), lit(0)), col(AT), col(VERSION)).collectAsList()) {
      rows.add(new SparkTableRow(row));
    }
    return history(model, rows);
  }

  /**
   * Events of one commit share its number; rows written before numbering existed (null) come first.
   * The order of {@link #history(String)}, for readers that sort in memory.
   */
  public static final Comparator<TableRow> COMMIT_ORDER =
      Comparator.<TableRow>comparingInt(r -> r.get(SEQ) == null ? 0 : r.<Integer>get(SEQ))
          .thenComparing(r -> r.<Timestamp>get(AT))
          .thenComparingInt(r -> r.<Integer>get(VERSION));

  /**
   * The history of {@code model} from its rows of the table in {@link #COMMIT_ORDER}: the one place
   * that builds a {@link ModelHistory}, whoever read the rows (Spark or Delta Kernel).
   */
  public static ModelHistory history(String model, List<TableRow> rowsInCommitOrder) {
    List<ModelEvent> out = new ArrayList<>();
    int last = 0;
    for (TableRow row : rowsInCommitOrder) {
      out.add(fromRow(row));
      Integer seq = row.get(SEQ);
      if (seq != null) {
        last = Math.max(last, seq);
      }
    }
    return new ModelHistory(model, out, last);
  }

  static ModelEvent fromRow(TableRow row) {
    return new ModelEvent(
        row.get(MODEL_NAME),
        row.<Integer>get(VERSION),
        EventKind.fromSql(row.get(EVENT)),
        row.get(PREVIOUS_VERSION),
        row.get(ACTOR),
        row.get(REASON),
        row.get(AT),
        row.map(METRICS),
        row.get(RUN_ID));
  }

  /**
   * Appends {@code decided} as commit {@code number} unless that number is taken; true when it was
   * appended.
   */
  boolean append(String model, int number, List<ModelEvent> decided) {
    List<Row> rows = new ArrayList<>();
    for (ModelEvent event : decided) {
      rows.add(COLUMNS.row(new Committed(model, number, event)));
    }
    // Every row of the commit has the same number: either all are inserted or, when a concurrent
    // commit took the number first, none.
    String match = String.format("t.%1$s = s.%1$s AND t.%2$s = s.%2$s", MODEL_NAME, SEQ);
    try {
      long inserted = DeltaWrites.insertIfAbsent(frame(rows), warehouse.location(table), match);
      return inserted == rows.size();
    } catch (DeltaConcurrentModificationException e) {
      return false;
    }
  }
}
