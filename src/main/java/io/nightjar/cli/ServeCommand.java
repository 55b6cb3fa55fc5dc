package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.ServedModels;
import io.nightjar.lookup.CacheRefresher;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.ServedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code serve [--port P]}: HTTP lookup of precomputed predictions, answered from memory. */
@Command(
    name = "serve",
    description =
        "HTTP lookup: GET /v1/models/{name}/predictions/{id} and GET /healthz, answered from memory.")
final class ServeCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port (default: ${DEFAULT-VALUE}).",
      defaultValue = "8080")
  int port;

  @Mixin BindOption bind;

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
  public Integer call() {
    BindOption.port(port);
    ConfigException.check(
        pollSeconds >= 1, "Invalid --poll '%d': use at least 1 second.", pollSeconds);
    ConfigException.check(
        threads >= 1 && threads <= 256, "Invalid --threads '%d': use 1 to 256.", threads);
    var out = cli.spec.commandLine().getOut();
    var err = cli.spec.commandLine().getErr();
    JobContext context = cli.context();
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
      lookup = HttpLookup.start(caches, bind.address, port, threads);
    } catch (RuntimeException e) {
      refresher.close();
      throw e;
    }
    out.printf(
        "serving %d models on http://%s:%d/v1/models/{name}/predictions/{id} (Ctrl-C stops)%n",
        caches.size(), hostForUrl(bind.address), lookup.port());
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
