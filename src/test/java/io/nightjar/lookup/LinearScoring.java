package io.nightjar.lookup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * On-demand scoring for the server's tests: version v predicts {@code v * x} from one feature
 * {@code x}. The feature store holds {@code x = id} for whole-number ids from 0 to {@code entities
 * - 1}; answers are cached for their validity; version {@code loading} is still loading (503); a
 * body value {@code "explode"} is an internal failure (500). {@link #hold} makes scoring wait, to
 * fill the worker pool or delay an answer.
 */
final class LinearScoring implements OnDemandScoring {
  private final int production;
  private final Set<Integer> versions;
  private final int loading;
  private final long entities;
  private final boolean scoresMissing;
  private final boolean scoresStale;
  private final Duration validity = Duration.ofMinutes(10);
  private final Map<Object, ServedPrediction> answers = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();
  final AtomicInteger scored = new AtomicInteger();
  private volatile CountDownLatch hold = new CountDownLatch(0);

  LinearScoring(
      int production,
      Set<Integer> versions,
      int loading,
      long entities,
      boolean scoresMissing,
      boolean scoresStale) {
    this.production = production;
    this.versions = Set.copyOf(versions);
    this.loading = loading;
    this.entities = entities;
    this.scoresMissing = scoresMissing;
    this.scoresStale = scoresStale;
  }

  /** Scoring waits until {@code latch} opens. */
  void hold(CountDownLatch latch) {
    this.hold = latch;
  }

  void addProblem(String problem) {
    problems.add(problem);
  }

  @Override
  public boolean scoresMissing() {
    return scoresMissing;
  }

  @Override
  public boolean scoresStale() {
    return scoresStale;
  }

  @Override
  public Optional<ServedPrediction> findCached(Object id) {
    ServedPrediction p = answers.get(id);
    if (p == null || !p.prediction().freshAt(Instant.now())) {
      return Optional.empty();
    }
    return Optional.of(new ServedPrediction(p.prediction(), PredictionSource.CACHE));
  }

  @Override
  public ServedPrediction scoreEntity(Object id) {
    ServedPrediction p = scoreEntity(production, id);
    answers.put(id, p);
    return p;
  }

  @Override
  public ServedPrediction scoreEntity(int version, Object id) {
    await();
    if (version == loading) {
      throw ServingException.unavailable("Version " + version + " is still loading.", 7);
    }
    if (!versions.contains(version)) {
      throw ServingException.notFound("Unknown version " + version + "; known: " + versions + ".");
    }
    if (!(id instanceof Long x) || x < 0 || x >= entities) {
      throw ServingException.notFound("No features for id '" + id + "'.");
    }
    return score(id, version, x);
  }

  @Override
  public List<ServedPrediction> scoreRows(List<Map<String, Object>> rows) {
    await();
    List<ServedPrediction> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Object x = rows.get(i).get("x");
      if ("explode".equals(x)) {
        throw new IllegalStateException("row scorer failed\n\tat some.Frame(Frame.java:1)");
      }
      if (!(x instanceof Number number)) {
        throw ServingException.invalid(
            "Invalid row " + i + ": feature 'x' must be a number, got " + x + ".");
      }
      out.add(score(rows.get(i).get("id"), production, number.doubleValue()));
    }
    return out;
  }

  private ServedPrediction score(Object id, int version, double x) {
    scored.incrementAndGet();
    Instant now = Instant.now();
    return new ServedPrediction(
        new Prediction(id, version * x, null, version, now, now.plus(validity)),
        PredictionSource.ONLINE);
  }

  private void await() {
    try {
      if (!hold.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("held for 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> problems() {
    return List.copyOf(problems);
  }

  @Override
  public Map<Integer, Instant> loadedVersions() {
    return Map.of(production, Instant.now().minusSeconds(30));
  }
}
