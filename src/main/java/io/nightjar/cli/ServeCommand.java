package io.nightjar.cli;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.nightjar.config.ConfigException;
import io.nightjar.jobs.Serving;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.PredictionSnapshot;
import io.nightjar.lookup.ServerOptions;
import java.io.PrintWriter;
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
    Serving running = Serving.start(context(), serving.poll(), err);
    running.metrics().bind(new JvmMemoryMetrics());
    running.metrics().bind(new JvmThreadMetrics());
    running
        .models()
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
      lookup = HttpLookup.start(running.models(), running.metrics(), options);
    } catch (RuntimeException e) {
      running.close();
      throw e;
    }
    out.printf(
        "serving %d models on http://%s:%d/v1/models/{name}/predictions/{id} (Ctrl-C stops)%n",
        running.models().caches().size(), hostForUrl(listen.address), lookup.port());
    out.flush();
    UntilStopped.await(
        () -> {
          lookup.close();
          running.close();
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

  static String hostForUrl(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }
}
