package io.nightjar.lookup;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link LoadedModels} current: one background thread, at a fixed delay, first runs the
 * discovery it was given (which {@linkplain LoadedModels#offer offers} models registered since),
 * then loads the models waiting for their first load and checks every served model's prediction
 * table for a new Delta version, reloading the caches that changed one at a time (so at most one
 * extra snapshot is in memory at once). A failed load is reported, kept for {@code /healthz} and
 * retried at the next check; requests keep the old snapshot.
 */
public final class CacheRefresher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CacheRefresher.class);

  private final LoadedModels models;
  private final Runnable discovery;
  private final ServeThread timer;

  private CacheRefresher(LoadedModels models, Runnable discovery, PrintWriter log) {
    this.models = models;
    this.discovery = discovery;
    this.timer = new ServeThread("nightjar-cache-refresh", log);
  }

  /**
   * A refresher that checks only when {@link #refreshAll} is called; {@link #start} checks on a
   * timer.
   */
  public static CacheRefresher manual(LoadedModels models, Runnable discovery, PrintWriter log) {
    return new CacheRefresher(models, discovery, log);
  }

  /** Starts checking every {@code every}, the first time after {@code every}. */
  public static CacheRefresher start(
      LoadedModels models, Runnable discovery, Duration every, PrintWriter log) {
    CacheRefresher refresher = manual(models, discovery, log);
    refresher.timer.every(every, every, refresher::refreshAll);
    return refresher;
  }

  /** Starts checking {@code caches} (no discovery), which must have been loaded once already. */
  public static CacheRefresher start(
      List<PredictionCache> caches, Duration every, PrintWriter log) {
    LoadedModels models = new LoadedModels();
    caches.forEach(models::loaded);
    return start(models, () -> {}, every, log);
  }

  /**
   * Discovers new models, loads waiting ones and reloads changed ones; reports what happened. One
   * check at a time: a call while the timer checks waits for it.
   */
  public synchronized void refreshAll() {
    try {
      discovery.run();
    } catch (RuntimeException e) {
      LOG.warn("Discovery of new models failed", e);
      say("could not look for new models: %s", e.getMessage());
    }
    for (PredictionCache cache : models.pending()) {
      refresh(cache, true);
    }
    for (PredictionCache cache : models.caches().values()) {
      refresh(cache, false);
    }
  }

  private void refresh(PredictionCache cache, boolean first) {
    String model = cache.model().name();
    try {
      long started = System.nanoTime();
      boolean swapped = cache.refresh();
      PredictionSnapshot s = cache.snapshot();
      double seconds = (System.nanoTime() - started) / 1e9;
      if (first) {
        say(
            "serving %s: %d entities from %s (table version %d, %.1fs)",
            model, s.size(), cache.model().table(), s.tableVersion(), seconds);
      } else if (swapped) {
        say(
            "reloaded %s: %d entities at table version %d (%.1fs)",
            model, s.size(), s.tableVersion(), seconds);
      }
      models.loaded(cache);
    } catch (RuntimeException e) {
      LOG.warn("Load of {} failed", model, e);
      String reason =
          first
              ? "could not load " + model + " (retried at every check): " + e.getMessage()
              : "could not reload "
                  + model
                  + ", still serving table version "
                  + cache.snapshot().tableVersion()
                  + ": "
                  + e.getMessage();
      // Said once per distinct reason: a model that cannot load would otherwise fill the log every
      // check.
      if (!reason.equals(models.failures().get(model))) {
        say("%s", reason);
      }
      models.failed(model, reason);
    }
  }

  private void say(String format, Object... args) {
    timer.say(format, args);
  }

  /** Stops checking; a reload in progress finishes first (up to 30 s). */
  @Override
  public void close() {
    timer.close();
  }
}
