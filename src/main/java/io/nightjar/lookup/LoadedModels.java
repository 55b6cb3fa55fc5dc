package io.nightjar.lookup;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The models {@code serve} answers for, by name: each one's {@link PredictionCache} and, when the
 * integrator attached one, its {@link OnDemandScoring}. A model is {@linkplain #offer offered}
 * first and served once its cache has loaded (the {@link CacheRefresher} loads it and retries
 * failures at every check); failures are kept for {@code /healthz}. Safe for any number of threads:
 * requests read it while the refresher adds models.
 */
public final class LoadedModels {
  private final ConcurrentMap<String, PredictionCache> served = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, PredictionCache> pending = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> failures = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, OnDemandScoring> scorings = new ConcurrentHashMap<>();
  private final List<Consumer<ServedModel>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Adds a model to load; it is served after its cache's first successful load. Does nothing when a
   * model of that name is already served or waiting.
   */
  public void offer(PredictionCache cache) {
    String name = cache.model().name();
    if (!served.containsKey(name)) {
      pending.putIfAbsent(name, cache);
    }
  }

  /** True when {@code model} is served or waiting for its first load. */
  public boolean knows(String model) {
    return served.containsKey(model) || pending.containsKey(model);
  }

  /**
   * Answers {@code model}'s requests with {@code scoring} too (absent ids, stale rows, other
   * versions, request bodies, as its policy says); replaces an earlier attachment. The model need
   * not be served yet: the scoring is used from the moment it is.
   */
  public void attach(String model, OnDemandScoring scoring) {
    scorings.put(
        requireNonNull(model, "model is null"), requireNonNull(scoring, "scoring is null"));
  }

  /** Stops scoring {@code model} on demand; its precomputed rows are still served. */
  public void detach(String model) {
    scorings.remove(model);
  }

  /**
   * Calls {@code listener} with every model when it starts being served (e.g. to {@link #attach}
   * its scoring); models served already are passed at once. A model that starts being served while
   * the listener is added may be passed twice: make the listener idempotent ({@link #attach} is).
   */
  public void whenServed(Consumer<ServedModel> listener) {
    listeners.add(listener);
    served.values().forEach(cache -> listener.accept(cache.model()));
  }

  public Optional<PredictionCache> findCache(String model) {
    return Optional.ofNullable(served.get(model));
  }

  public Optional<OnDemandScoring> findScoring(String model) {
    return Optional.ofNullable(scorings.get(model));
  }

  /** The served caches, by model name, sorted. */
  public Map<String, PredictionCache> caches() {
    return new TreeMap<>(served);
  }

  /** The models waiting for their first load. */
  List<PredictionCache> pending() {
    return List.copyOf(pending.values());
  }

  /** Why models failed to load or reload at the last check, by model name, sorted. */
  public Map<String, String> failures() {
    return new TreeMap<>(failures);
  }

  /** The scoring attached to each model, by model name, sorted. */
  Map<String, OnDemandScoring> scorings() {
    return new TreeMap<>(scorings);
  }

  /** Records a successful (re)load: the model is served from now on and its failure is cleared. */
  void loaded(PredictionCache cache) {
    String name = cache.model().name();
    failures.remove(name);
    if (served.putIfAbsent(name, cache) == null) {
      pending.remove(name);
      listeners.forEach(l -> l.accept(cache.model()));
    }
  }

  /** Records why {@code model} could not be (re)loaded at the last check. */
  void failed(String model, String reason) {
    failures.put(model, reason);
  }
}
