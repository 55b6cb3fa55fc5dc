package io.nightjar.lookup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One named daemon thread of {@code serve} that does slow work (loads and reloads) off the request
 * path, and the {@code [serve]} lines it prints. Closing lets a load in progress finish first (up
 * to 30 s), so no snapshot is left half-swapped.
 */
public final class ServeThread implements AutoCloseable {
  private final ScheduledExecutorService executor;
  private final PrintWriter log;

  public ServeThread(String name, PrintWriter log) {
    this.log = log;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Runs {@code task} after {@code first}, then again {@code every} after each run ends. */
  public void every(Duration first, Duration every, Runnable task) {
    executor.scheduleWithFixedDelay(
        task, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code task} once, after what is queued before it. */
  public Future<?> submit(Runnable task) {
    return executor.submit(task);
  }

  /** Prints one {@code [serve]} line; lines of several threads never interleave. */
  public void say(String format, Object... args) {
    synchronized (log) {
      log.printf("[serve] " + format + "%n", args);
      log.flush();
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
