package io.nightjar.lookup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The metrics of {@code serve}, in Prometheus text format at {@code GET /metrics}
 * (docs/operations.md lists them): requests and their latency by model, route, status and source,
 * and, computed when scraped, the model versions loaded, the snapshots' table versions and their
 * ages. The meters of a request are looked up in small caches keyed by plain values, so the hot
 * path builds no tags. Thread-safe.
 */
public final class ServingMetrics {
  /** The {@code model} label of requests for models not served here: bounds the label's values. */
  static final String OTHER_MODEL = "other";

  private static final PredictionSource[] SOURCES = PredictionSource.values();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, ModelMeters> byModel = new ConcurrentHashMap<>();
  private final MultiGauge versionAge;
  private final MultiGauge tableVersion;
  private final MultiGauge snapshotAge;
  private final MultiGauge entities;

  public ServingMetrics() {
    versionAge =
        gauge(
            "nightjar.model.version.age",
            "Seconds since a loaded model version's newest predictions were made",
            "seconds");
    tableVersion =
        gauge(
            "nightjar.snapshot.table.version",
            "Delta version of the prediction table held in memory",
            null);
    snapshotAge =
        gauge(
            "nightjar.snapshot.age", "Seconds since the snapshot in memory was loaded", "seconds");
    entities = gauge("nightjar.snapshot.entities", "Entities in the snapshot in memory", null);
  }

  /** A gauge of one value per model (or version) in {@code unit}, or in no unit when null. */
  private MultiGauge gauge(String name, String description, String unit) {
    return MultiGauge.builder(name).description(description).baseUnit(unit).register(registry);
  }

  /**
   * Adds meters of another library to {@code /metrics}, e.g. {@code new
   * CaffeineCacheMetrics<>(cache, "nightjar_online_answers", Tags.of("model", name))}.
   */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /** Counts one answered request and its latency. {@code model} is null when no model applies. */
  void record(String model, Route route, int status, PredictionSource source, long nanos) {
    ModelMeters meters = byModel.computeIfAbsent(model == null ? "" : model, ModelMeters::new);
    meters.counter(route, status, source).increment();
    meters.timer(route).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** The metrics in Prometheus text format, with the model gauges computed now. */
  String scrape(LoadedModels models) {
    Instant now = Instant.now();
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    List<MultiGauge.Row<?>> versions = new ArrayList<>();
    List<MultiGauge.Row<?>> snapshotAges = new ArrayList<>();
    List<MultiGauge.Row<?>> sizes = new ArrayList<>();
    for (Map.Entry<String, PredictionCache> e : models.caches().entrySet()) {
      Tags model = Tags.of("model", e.getKey());
      PredictionSnapshot snapshot = e.getValue().snapshot();
      snapshot
          .newestScoredAtByVersion()
          .forEach(
              (version, at) ->
                  ages.add(row(model, version, PredictionSource.PRECOMPUTED, seconds(at, now))));
      versions.add(MultiGauge.Row.of(model, snapshot.tableVersion()));
      snapshotAges.add(MultiGauge.Row.of(model, seconds(e.getValue().loadedAt(), now)));
      sizes.add(MultiGauge.Row.of(model, snapshot.size()));
    }
    for (Map.Entry<String, OnDemandScoring> e : models.scorings().entrySet()) {
      Tags model = Tags.of("model", e.getKey());
      e.getValue()
          .loadedVersions()
          .forEach(
              (version, at) ->
                  ages.add(row(model, version, PredictionSource.ONLINE, seconds(at, now))));
    }
    versionAge.register(ages, true);
    tableVersion.register(versions, true);
    snapshotAge.register(snapshotAges, true);
    entities.register(sizes, true);
    return registry.scrape();
  }

  private static MultiGauge.Row<?> row(
      Tags model, int version, PredictionSource source, double seconds) {
    return MultiGauge.Row.of(
        model.and("version", Integer.toString(version), "source", source.jsonName()), seconds);
  }

  private static double seconds(Instant from, Instant now) {
    return Duration.between(from, now).toMillis() / 1000.0;
  }

  /** One model's request meters, created at first use and kept. */
  private final class ModelMeters {
    private final String model;
    private final AtomicReferenceArray<Timer> timers =
        new AtomicReferenceArray<>(Route.values().length);
    // Keyed by (status, route, source) packed in an int: no tags are built once a meter exists.
    private final ConcurrentMap<Integer, Counter> counters = new ConcurrentHashMap<>();

    ModelMeters(String model) {
      this.model = model;
    }

    Counter counter(Route route, int status, PredictionSource source) {
      int sourceIndex = source == null ? SOURCES.length : source.ordinal();
      int key = (status * Route.values().length + route.ordinal()) * (SOURCES.length + 1);
      return counters.computeIfAbsent(
          key + sourceIndex,
          k ->
              Counter.builder("nightjar.requests")
                  .description("Requests answered, by model, route, status and source")
                  .tags(
                      "model",
                      model,
                      "route",
                      route.label(),
                      "status",
                      Integer.toString(status),
                      "source",
                      source == null ? "none" : source.jsonName())
                  .register(registry));
    }

    Timer timer(Route route) {
      Timer timer = timers.get(route.ordinal());
      if (timer == null) {
        // A benign race: two threads may both build it; the registry returns the same meter.
        timer =
            Timer.builder("nightjar.request")
                .description("Time from a request's arrival to its answer being written")
                .tags("model", model, "route", route.label())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(10))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        timers.set(route.ordinal(), timer);
      }
      return timer;
    }
  }
}
