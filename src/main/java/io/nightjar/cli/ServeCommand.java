package io.nightjar.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.nightjar.config.ConfigException;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.OnlineScoring;
import io.nightjar.jobs.ServedModels;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.CacheRefresher;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.LoadedModels;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.PredictionSnapshot;
import io.nightjar.lookup.ServedModel;
import io.nightjar.lookup.ServerOptions;
import io.nightjar.lookup.ServingMetrics;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code serve}: HTTP serving of predictions (precomputed rows from memory, on-demand scoring where
 * attached), {@code /metrics} and {@code /healthz}. Models registered while it runs are found at
 * the next {@code --poll} check and served without a restart.
 */
@Command(
    name = "serve",
    description =
        "HTTP serving: GET /v1/models/{name}/predictions/{id},"
            + " GET /v1/models/{name}/versions/{v}/predictions/{id}, POST /v1/models/{name}/predict,"
            + " GET /metrics and GET /healthz.")
final class ServeCommand extends Subcommand {
  @Mixin ListenOptions listen = new ListenOptions(8080);

  @Mixin ServingOptions serving;

  @Override
  int run(PrintWriter out) {
    ServerOptions options = options();
    var err = cli.spec.commandLine().getErr();
    JobContext context = context();
    LoadedModels models = new LoadedModels();
    ServingMetrics metrics = new ServingMetrics();
    metrics.bind(new JvmMemoryMetrics());
    metrics.bind(new JvmThreadMetrics());
    // Every served model also scores on demand. The listener may see a model twice: one
    // OnlineScoring (and one background loader) per model.
    Map<String, OnlineScoring> online = new ConcurrentHashMap<>();
    models.whenServed(
        model -> {
          OnlineScoring scoring =
              online.computeIfAbsent(
                  model.name(), name -> startOnline(context, model, metrics, err));
          if (scoring != null) {
            models.attach(model.name(), scoring);
          }
        });
    // Each model is considered once; a fresh registry reader per check sees models registered
    // since.
    Set<String> considered = ConcurrentHashMap.newKeySet();
    KernelVersions versions = KernelVersions.open(context.env());
    Runnable discovery =
        () -> {
          KernelRegistry registry = KernelRegistry.open(context.env());
          for (ServedModel model : ServedModels.find(context, registry, considered::add, err)) {
            models.offer(new PredictionCache(context.spark(), model, versions));
          }
        };
    CacheRefresher refresher = CacheRefresher.start(models, discovery, serving.poll(), err);
    refresher.refreshAll();
    models
        .caches()
        .forEach(
            (name, cache) -> {
              PredictionSnapshot s = cache.snapshot();
              out.printf(
                  "%s: %d entities from %s (table version %d)%n",
                  name, s.size(), cache.model().table(), s.tableVersion());
            });
    HttpLookup lookup;
    try {
      lookup = HttpLookup.start(models, metrics, options);
    } catch (RuntimeException e) {
      refresher.close();
      online.values().forEach(OnlineScoring::close);
      throw e;
    }
    out.printf(
        "serving %d models on http://%s:%d/v1/models/{name}/predictions/{id} (Ctrl-C stops)%n",
        models.caches().size(), hostForUrl(listen.address), lookup.port());
    out.flush();
    UntilStopped.await(
        () -> {
          lookup.close();
          refresher.close();
          online.values().forEach(OnlineScoring::close);
        },
        out,
        "serve");
    return ExitCodes.OK;
  }

  /**
   * The server options from the command line.
   *
   * @throws ConfigException naming the option and what is valid when a value is not
   */
  ServerOptions options() {
    return serving.options(listen);
  }

  /** The model's on-demand scoring, or null (said on {@code err}) when it cannot start. */
  private OnlineScoring startOnline(
      JobContext context, ServedModel model, ServingMetrics metrics, PrintWriter err) {
    OnlineScoring scoring;
    try {
      scoring = OnlineScoring.start(context, model, serving.poll(), err);
    } catch (RuntimeException e) {
      // Its precomputed predictions are still served; the next start tries again.
      err.printf("[serve] not scoring %s on demand: %s%n", model.name(), e.getMessage());
      err.flush();
      return null;
    }
    metrics.bind(scoring.cacheMetrics());
    return scoring;
  }

  static String hostForUrl(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }
}
