package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.ServedModels;
import io.nightjar.lookup.CacheRefresher;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.ServedModel;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve [--port P]}: HTTP lookup of precomputed predictions, answered from memory. */
@Command(
    name = "serve",
    description =
        "HTTP lookup: GET /v1/models/{name}/predictions/{id} and GET /healthz, answered from memory.")
final class ServeCommand extends Subcommand {
  @Mixin ListenOptions listen = new ListenOptions(8080);

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      description =
          "How often to check the prediction tables for new versions (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int pollSeconds;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Request threads (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int threads;

  @Override
  int run(PrintWriter out) {
    int port = listen.port();
    ConfigException.check(
        pollSeconds >= 1, "Invalid --poll '%d': use at least 1 second.", pollSeconds);
    ConfigException.check(
        threads >= 1 && threads <= 256, "Invalid --threads '%d': use 1 to 256.", threads);
    var err = cli.spec.commandLine().getErr();
    JobContext context = context();
    Map<String, PredictionCache> caches = new LinkedHashMap<>();
    for (ServedModel model : ServedModels.find(context, err)) {
      PredictionCache cache = new PredictionCache(context.spark(), model);
      try {
        cache.refresh();
      } catch (RuntimeException e) {
        err.printf("[serve] not serving %s: %s%n", model.name(), e.getMessage());
        continue;
      }
      caches.put(model.name(), cache);
      out.printf(
          "%s: %d entities from %s (table version %d)%n",
          model.name(), cache.snapshot().size(), model.table(), cache.snapshot().tableVersion());
    }
    CacheRefresher refresher =
        CacheRefresher.start(
            new ArrayList<>(caches.values()), Duration.ofSeconds(pollSeconds), err);
    HttpLookup lookup;
    try {
      lookup = HttpLookup.start(caches, listen.address, port, threads);
    } catch (RuntimeException e) {
      refresher.close();
      throw e;
    }
    out.printf(
        "serving %d models on http://%s:%d/v1/models/{name}/predictions/{id} (Ctrl-C stops)%n",
        caches.size(), hostForUrl(listen.address), lookup.port());
    out.flush();
    UntilStopped.await(
        () -> {
          lookup.close();
          refresher.close();
        },
        out,
        "serve");
    return ExitCodes.OK;
  }

  static String hostForUrl(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }
}
