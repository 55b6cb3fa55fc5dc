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
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(b|kib|mib)?");
  private static final int MIN_BODY = 1 << 10;
  private static final int MAX_BODY = 64 << 20;

  @Mixin ListenOptions listen = new ListenOptions(8080);

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      description =
          "How often to check the prediction tables for new versions and the registry for new"
              + " models (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int pollSeconds;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Scoring threads for requests that may score on demand (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int threads;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description =
          "Network threads; they also answer lookups that only read memory (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int ioThreads;

  @Option(
      names = "--max-body",
      paramLabel = "SIZE",
      description =
          "Largest request body, in bytes or with KiB/MiB; larger ones are answered 413 (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "1MiB")
  String maxBody;

  @Option(
      names = "--max-batch",
      paramLabel = "ROWS",
      description = "Most rows in one POST .../predict request (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int maxBatch;

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
    CacheRefresher refresher =
        CacheRefresher.start(models, discovery, Duration.ofSeconds(pollSeconds), err);
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
    int port = listen.port();
    ConfigException.check(
        pollSeconds >= 1, "Invalid --poll '%d': use at least 1 second.", pollSeconds);
    ConfigException.check(
        threads >= 1 && threads <= 256, "Invalid --threads '%d': use 1 to 256.", threads);
    ConfigException.check(
        ioThreads >= 1 && ioThreads <= 64, "Invalid --io-threads '%d': use 1 to 64.", ioThreads);
    ConfigException.check(
        maxBatch >= 1 && maxBatch <= 10_000,
        "Invalid --max-batch '%d': use 1 to 10000 rows.",
        maxBatch);
    return new ServerOptions(
        listen.address, port, threads, ioThreads, bytes("--max-body", maxBody), maxBatch);
  }

  /** A size such as {@code 1048576}, {@code 512KiB} or {@code 1MiB}, from 1 KiB to 64 MiB. */
  static int bytes(String option, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    long value = -1;
    if (m.matches()) {
      String unit = m.group(2) == null ? "b" : m.group(2);
      long scale = unit.equals("mib") ? 1L << 20 : unit.equals("kib") ? 1L << 10 : 1;
      value = Long.parseLong(m.group(1)) * scale;
    }
    ConfigException.check(
        value >= MIN_BODY && value <= MAX_BODY,
        "Invalid %s '%s': use a size from 1KiB to 64MiB, in bytes or with KiB or MiB (e.g. 1048576,"
            + " 512KiB, 1MiB).",
        option,
        text);
    return (int) value;
  }

  /** The model's on-demand scoring, or null (said on {@code err}) when it cannot start. */
  private OnlineScoring startOnline(
      JobContext context, ServedModel model, ServingMetrics metrics, PrintWriter err) {
    OnlineScoring scoring;
    try {
      scoring = OnlineScoring.start(context, model, Duration.ofSeconds(pollSeconds), err);
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
