package io.nightjar.jobs;

import io.nightjar.kernel.KernelRegistry;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.CacheRefresher;
import io.nightjar.lookup.LoadedModels;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.ServedModel;
import io.nightjar.lookup.ServingMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What {@code serve} runs behind its HTTP server: the served models' prediction caches, their
 * on-demand scoring and the metrics both report. Every {@code poll}, one background thread reads
 * the registry with Delta Kernel (no Spark job: the check runs beside the requests) for models
 * registered since, considering each model once, and reloads prediction tables that have a new
 * Delta version; each model's {@link OnlineScoring} keeps its own versions and features current.
 * The benchmarks start the same object, so what they measure is what {@code serve} runs.
 */
public final class Serving implements AutoCloseable {
  private final LoadedModels models = new LoadedModels();
  private final ServingMetrics metrics = new ServingMetrics();
  // The listener may see a model twice: one OnlineScoring (one background loader) per model.
  private final Map<String, OnlineScoring> online = new ConcurrentHashMap<>();
  private final CacheRefresher refresher;

  private Serving(JobContext context, Duration poll, PrintWriter err) {
    models.whenServed(
        model -> {
          OnlineScoring scoring =
              online.computeIfAbsent(model.name(), name -> startOnline(context, model, poll, err));
          if (scoring != null) {
            models.attach(model.name(), scoring);
          }
        });
    Set<String> considered = ConcurrentHashMap.newKeySet();
    KernelVersions versions = KernelVersions.open(context.env());
    // One Hadoop configuration for every check; a fresh reader per check sees the commits since.
    Supplier<KernelRegistry> registries = KernelRegistry.opener(context.env());
    Runnable discovery =
        () -> {
          for (ServedModel model :
              ServedModels.find(context, registries.get(), considered::add, err)) {
            models.offer(new PredictionCache(context.spark(), model, versions));
          }
        };
    this.refresher = CacheRefresher.start(models, discovery, poll, err);
  }

  /**
   * Finds and loads the served models once (so the caller can report them), then keeps them current
   * every {@code poll}; {@code err} receives what is skipped or fails.
   */
  public static Serving start(JobContext context, Duration poll, PrintWriter err) {
    Serving serving = new Serving(context, poll, err);
    serving.refresher.refreshAll();
    return serving;
  }

  public LoadedModels models() {
    return models;
  }

  public ServingMetrics metrics() {
    return metrics;
  }

  /** The model's on-demand scoring, once started (empty when it could not start). */
  public Optional<OnlineScoring> online(String model) {
    return Optional.ofNullable(online.get(model));
  }

  /** The model's on-demand scoring, or null (said on {@code err}) when it cannot start. */
  private OnlineScoring startOnline(
      JobContext context, ServedModel model, Duration poll, PrintWriter err) {
    OnlineScoring scoring;
    try {
      scoring = OnlineScoring.start(context, model, poll, err);
    } catch (RuntimeException e) {
      // Its precomputed predictions are still served; the next start tries again.
      err.printf("[serve] not scoring %s on demand: %s%n", model.name(), e.getMessage());
      err.flush();
      return null;
    }
    metrics.bind(scoring.cacheMetrics());
    return scoring;
  }

  @Override
  public void close() {
    refresher.close();
    online.values().forEach(OnlineScoring::close);
  }
}
