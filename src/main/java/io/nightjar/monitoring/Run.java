package io.nightjar.monitoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A job run in progress: its id, and the stages timed so far. One job thread owns it; another
 * thread may only end it (a {@code nightly} ending the {@code train} it gave up waiting for).
 */
public final class Run {
  private final RunLog log;
  private final String runId;
  private final String job;
  private final String model;
  private final LocalDate logicalDate;
  private final Timestamp startedAt;
  private final String sparkAppId;
  // Copy-on-write: another thread may end the run (and copy the stages) while its owner adds one.
  private final List<Row> stages = new CopyOnWriteArrayList<>();

  Run(
      RunLog log,
      String runId,
      String job,
      String model,
      LocalDate logicalDate,
      Timestamp startedAt,
      String appId) {
    this.log = log;
    this.runId = runId;
    this.job = job;
    this.model = model;
    this.logicalDate = logicalDate;
    this.startedAt = startedAt;
    this.sparkAppId = appId;
  }

  public String id() {
    return runId;
  }

  /**
   * Runs {@code work} as stage {@code name}, recording its seconds; {@code rows} is read after it
   * finishes.
   */
  public <T> T stage(String name, Supplier<T> work, ToLongFunction<T> rows) {
    long started = System.nanoTime();
    T result = work.get();
    Long count = rows == null ? null : rows.applyAsLong(result);
    stages.add(RunLog.stageRow(name, (System.nanoTime() - started) / 1e9, count));
    return result;
  }

  /** Records a stage timed elsewhere. */
  public void stage(String name, double seconds, Long rows) {
    stages.add(RunLog.stageRow(name, seconds, rows));
  }

  public void succeed() {
    log.end(this, row(RunStatus.SUCCEEDED, Timestamp.from(Instant.now()), null));
  }

  public void fail(Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
    log.end(this, row(RunStatus.FAILED, Timestamp.from(Instant.now()), message));
  }

  /**
   * Ends the run as {@code status} ({@link RunStatus#TIMED_OUT}, {@link RunStatus#DEGRADED}) with
   * {@code reason} in its error column.
   */
  public void end(RunStatus status, String reason) {
    log.end(this, row(status, Timestamp.from(Instant.now()), reason));
  }

  Row row(RunStatus status, Timestamp finishedAt, String error) {
    return RowFactory.create(
        runId,
        job,
        model,
        RunLog.date(logicalDate),
        startedAt,
        finishedAt,
        status.sqlName(),
        error,
        List.copyOf(stages),
        sparkAppId);
  }
}
