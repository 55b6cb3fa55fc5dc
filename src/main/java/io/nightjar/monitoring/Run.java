package io.nightjar.monitoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A job run in progress: its id, and the stages timed so far. Not thread-safe: one job thread owns
 * it.
 */
public final class Run {
  private final RunLog log;
  private final String runId;
  private final String job;
  private final String model;
  private final LocalDate logicalDate;
  private final Timestamp startedAt;
  private final String sparkAppId;
  private final List<Row> stages = new ArrayList<>();

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
