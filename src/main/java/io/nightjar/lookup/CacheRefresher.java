package io.nightjar.lookup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link PredictionCache}s current: one background thread checks every model's prediction
 * table for a new Delta version at a fixed delay and reloads the caches that changed, one at a time
 * (so at most one extra snapshot is in memory at once). A failed reload is reported and retried at
 * the next check; requests keep the old snapshot.
 */
public final class CacheRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

  private final List<PredictionCache> caches;
  private final PrintWriter log;
  private final ScheduledExecutorService timer;

  private CacheRefresher(List<PredictionCache> caches, PrintWriter log) {
    this.caches = List.copyOf(caches);
    this.log = log;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "nightjar-cache-refresh");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts checking every {@code every}; the caches must have been loaded once already. */
  public static CacheRefresher start(
      List<PredictionCache> caches, Duration every, PrintWriter log) {
    CacheRefresher refresher = new CacheRefresher(caches, log);
    refresher.timer.scheduleWithFixedDelay(
        refresher::refreshAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return refresher;
  }

  /** Checks every cache once; reports reloads and failures. */
  public void refreshAll() {
    for (PredictionCache cache : caches) {
      String model = cache.model().name();
      try {
        long started = System.nanoTime();
        if (cache.refresh()) {
          PredictionSnapshot s = cache.snapshot();
          say(
              "reloaded %s: %d entities at table version %d (%.1fs)",
              model, s.size(), s.tableVersion(), (System.nanoTime() - started) / 1e9);
        }
      } catch (RuntimeException e) {
        LOG.warn("Reload of {} failed", model, e);
        say(
            "could not reload %s, still serving table version %d: %s",
            model, cache.snapshot().tableVersion(), e.getMessage());
      }
    }
  }

  private void say(String format, Object... args) {
    synchronized (log) {
      log.printf("[serve] " + format + "%n", args);
      log.flush();
    }
  }

  /** Stops checking; a reload in progress finishes first (up to 30 s). */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
