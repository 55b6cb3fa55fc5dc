package io.nightjar.monitoring;

import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import io.nightjar.spark.WarehouseTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code runs} table: one row per job run, written as {@code running} when the job starts and
 * updated to {@code succeeded}, {@code failed}, {@code timed_out} or {@code degraded} with
 * per-stage seconds and rows when it ends. A run that is killed stays {@code running}, which {@code
 * status} reports once it passes its expected end.
 *
 * <p>The rows are written by one background thread, in the order the runs produce them, so that a
 * job's work does not wait for its bookkeeping commits (1-3 s each): a run that another run
 * encloses on the same thread ({@code nightly}'s train, promote, score and evaluate) hands its rows
 * over and goes on, and the outermost run's end waits until every row handed over so far is
 * committed, and fails if one could not be. So when a command returns, its rows are in the table,
 * as before; only a process killed mid-run may lose the rows of its last seconds (its run then
 * stays {@code running} or is missing, as a killed run's may be anyway). Reads ({@link #ofModel})
 * see committed rows only: rows still with the writer thread are not in the table yet ({@link
 * #awaitWrites}).
 */
public final class RunLog extends WarehouseTable {
  public static final String TABLE = "runs";

  private static final String RUN_ID = "run_id";
  public static final String JOB = "job";
  public static final String LOGICAL_DATE = "logical_date";
  public static final String STARTED_AT = "started_at";
  public static final String FINISHED_AT = "finished_at";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  public static final String STAGES = "stages";

  public static final StructType STAGE =
      new StructType()
          .add("name", StringType, true)
          .add("seconds", DoubleType, true)
          .add("rows", LongType, true);

  public static final StructType SCHEMA =
      new StructType()
          .add(RUN_ID, StringType, false)
          .add(JOB, StringType, false)
          .add(MODEL_NAME, StringType, true)
          .add(LOGICAL_DATE, DateType, true)
          .add(STARTED_AT, TimestampType, false)
          .add(FINISHED_AT, TimestampType, true)
          .add(STATUS, StringType, false)
          .add(ERROR, StringType, true)
          .add(STAGES, createArrayType(STAGE), false)
          .add("spark_app_id", StringType, true);

  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "nightjar-runs-writer");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * The runs open on each thread, innermost last: a run with an enclosing run does not wait for its
   * writes.
   */
  private final ThreadLocal<Deque<Run>> open = ThreadLocal.withInitial(ArrayDeque::new);

  /** The first write that failed since the last wait, reported by the next outermost run's end. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  public RunLog(Warehouse warehouse, String database) {
    super(warehouse, new TableName(database, TABLE), SCHEMA);
  }

  /**
   * Records the start of a run and returns it; the caller must end it with {@link Run#succeed} or
   * {@link Run#fail}.
   */
  public Run start(String job, String model, LocalDate logicalDate) {
    Run run =
        new Run(
            this,
            UUID.randomUUID().toString(),
            job,
            model,
            logicalDate,
            Timestamp.from(Instant.now()),
            warehouse.spark().sparkContext().applicationId());
    open.get().addLast(run);
    Row row = run.row(RunStatus.RUNNING, null, null);
    // A blind append cannot conflict with other runs' rows; the end of the run updates it by
    // run_id.
    submit(
        () -> {
          Dataset<Row> source = frame(List.of(row));
          DeltaRetry.run(
              "write the runs row",
              () -> source.write().format("delta").mode("append").save(warehouse.location(table)));
        });
    return run;
  }

  /**
   * Hands the ended {@code run}'s row to the writer; the outermost run of the thread waits for
   * every pending row.
   */
  void end(Run run, Row row) {
    Deque<Run> runs = open.get();
    runs.remove(run);
    submit(() -> merge(row));
    if (runs.isEmpty()) {
      awaitWrites();
    }
  }

  /**
   * Waits until every row handed over so far is committed.
   *
   * @throws IllegalStateException when a row could not be written (after the retries of {@link
   *     DeltaRetry})
   */
  public void awaitWrites() {
    try {
      writer.submit(() -> {}).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing the runs rows of " + table, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
    RuntimeException failed = failure.getAndSet(null);
    if (failed != null) {
      throw failed;
    }
  }

  private void submit(Runnable write) {
    writer.execute(
        () -> {
          try {
            write.run();
          } catch (
              Throwable
                  e) { // Spark and Hadoop may throw checked exceptions undeclared: none may go
            // unreported
            failure.compareAndSet(
                null,
                e instanceof RuntimeException r
                    ? r
                    : new IllegalStateException("Cannot write the runs row: " + e, e));
          }
        });
  }

  private void merge(Row row) {
    merge(
        "write the runs row",
        frame(List.of(row)),
        expr("t." + RUN_ID + " = s." + RUN_ID),
        clauses -> clauses.whenMatched().updateAll().whenNotMatched().insertAll());
  }

  static Row stageRow(String name, double seconds, Long rows) {
    return RowFactory.create(name, seconds, rows);
  }

  static Date date(LocalDate date) {
    return date == null ? null : Date.valueOf(date);
  }
}
