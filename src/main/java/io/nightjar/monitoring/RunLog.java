package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import io.delta.tables.DeltaTable;
import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code runs} table: one row per job run, written as {@code running} when the job starts and updated to {@code
 * succeeded} or {@code failed} with per-stage seconds and rows when it ends. A run that is killed stays {@code
 * running}, which {@code status} reports.
 */
public final class RunLog {
  public static final String TABLE = "runs";
  public static final String RUNNING = "running";
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  public static final StructType STAGE =
      new StructType().add("name", StringType, true).add("seconds", DoubleType, true).add("rows", LongType, true);

  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", StringType, false)
          .add("job", StringType, false)
          .add("model_name", StringType, true)
          .add("logical_date", DateType, true)
          .add("started_at", TimestampType, false)
          .add("finished_at", TimestampType, true)
          .add("status", StringType, false)
          .add("error", StringType, true)
          .add("stages", createArrayType(STAGE), false)
          .add("spark_app_id", StringType, true);

  private final Warehouse warehouse;
  private final TableName table;

  public RunLog(Warehouse warehouse, String database) {
    this.warehouse = warehouse;
    this.table = new TableName(database, TABLE);
  }

  public void ensureTable() {
    warehouse.ensureTable(table, SCHEMA, List.of());
  }

  /** Records the start of a run and returns it; the caller must end it with {@link Run#succeed} or {@link Run#fail}. */
  public Run start(String job, String model, LocalDate logicalDate) {
    Run run =
        new Run(this, UUID.randomUUID().toString(), job, model, logicalDate, Timestamp.from(Instant.now()),
            warehouse.spark().sparkContext().applicationId());
    // A blind append cannot conflict with other runs' rows; the end of the run updates it by run_id.
    var spark = warehouse.spark();
    Dataset<Row> row = spark.createDataFrame(List.of(run.row(RUNNING, null, null)), SCHEMA);
    DeltaRetry.run("write the runs row", () -> row.write().format("delta").mode("append").save(warehouse.location(table)));
    return run;
  }

  void write(Row row) {
    var spark = warehouse.spark();
    Dataset<Row> source = spark.createDataFrame(List.of(row), SCHEMA);
    DeltaRetry.run(
        "write the runs row",
        () ->
            DeltaTable.forPath(spark, warehouse.location(table))
                .as("t")
                .merge(source.as("s"), "t.run_id = s.run_id")
                .whenMatched()
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute());
  }

  static Row stageRow(String name, double seconds, Long rows) {
    return RowFactory.create(name, seconds, rows);
  }

  static Date date(LocalDate date) {
    return date == null ? null : Date.valueOf(date);
  }
}
