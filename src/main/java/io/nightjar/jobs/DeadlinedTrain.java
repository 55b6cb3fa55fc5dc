package io.nightjar.jobs;

import io.nightjar.config.ModelSpec;
import io.nightjar.monitoring.Run;
import io.nightjar.monitoring.RunStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;

/**
 * Runs a {@code train} on a thread of its own, in a Spark job group, and stops it at its {@link
 * TrainDeadline}: the train's running Spark jobs are cancelled, its thread is interrupted, and its
 * own checks (between trials and stages, and before it registers) end it. What it committed before
 * is whole (every table write is one Delta commit) and what it did not is absent; it cannot
 * register a version after the deadline.
 *
 * <p>Work that Spark cannot cancel (a native fit on the driver) ends at the train's next check. The
 * night waits {@link #STOP_GRACE} for that, then goes on and records the train as {@code timed_out}
 * itself; the train's thread, a daemon, writes nothing more than its finished trials when it gets
 * there, and ends with the process.
 */
final class DeadlinedTrain {
  /** How long the night waits for a stopped train's thread to end before it goes on. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final JobContext context;
  private final TrainDeadline deadline;

  DeadlinedTrain(JobContext context, TrainDeadline deadline) {
    this.context = context;
    this.deadline = deadline;
  }

  /**
   * The train's outcome when it registered (or found) its version in time.
   *
   * @throws TrainDeadline.Passed when it was stopped at the deadline
   * @throws RuntimeException the train's own error when it failed before the deadline
   */
  TrainJob.Outcome run(ModelSpec spec, LocalDate date) {
    SparkContext spark = context.spark().sparkContext();
    CompletableFuture<TrainJob.Outcome> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              // interruptOnCancel: a cancelled task's thread is interrupted, not left to finish.
              spark.setJobGroup(deadline.jobGroup(), "nightly train of " + spec.name(), true);
              try {
                result.complete(new TrainJob(context, deadline).run(spec, date));
              } catch (Throwable e) { // handed to the waiting thread, which rethrows it
                result.completeExceptionally(e);
              } finally {
                spark.clearJobGroup();
              }
            },
            "nightjar-train-" + spec.name());
    thread.setDaemon(true);
    thread.start();
    try {
      return await(result, deadline.limit());
    } catch (TimeoutException e) {
      boolean stopped =
          deadline.stop(
              () -> {
                spark.cancelJobGroup(deadline.jobGroup());
                thread.interrupt();
              });
      if (!stopped) {
        // It was registering its version: that takes seconds, and the version is whole.
        return awaitCommit(result);
      }
      context.progress().printf("[nightly %s] %s: stopping it%n", spec.name(), deadline.reason());
      awaitStop(result);
      throw new TrainDeadline.Passed(deadline.reason());
    }
  }

  private TrainJob.Outcome awaitCommit(CompletableFuture<TrainJob.Outcome> result) {
    while (true) {
      try {
        return await(result, STOP_GRACE);
      } catch (TimeoutException e) {
        context.progress().println("[nightly] waiting for the train to finish registering");
      }
    }
  }

  /**
   * Waits up to {@link #STOP_GRACE} for the stopped train to end (it then records itself as timed
   * out); past it, records the train's run as timed out here.
   */
  private void awaitStop(CompletableFuture<TrainJob.Outcome> result) {
    try {
      await(result, STOP_GRACE);
    } catch (TimeoutException e) {
      Run run = deadline.run();
      if (run != null) {
        run.end(
            RunStatus.TIMED_OUT,
            deadline.reason() + "; its thread did not stop within " + STOP_GRACE.toSeconds() + "s");
      }
    } catch (RuntimeException e) { // the stopped train's own end: expected
      // TrainDeadline.Passed, or a cancelled Spark job when it failed before its check.
    }
  }

  private static TrainJob.Outcome await(CompletableFuture<TrainJob.Outcome> result, Duration limit)
      throws TimeoutException {
    try {
      return result.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the train", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(String.valueOf(cause.getMessage()), cause);
    }
  }
}
