package io.nightjar.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTTP lookup asks of one model beyond its precomputed table: answers scored on demand
 * from the entity's features (or a request body) with the right model version. The lookup calls
 * {@link #findCached} on its network thread, so that must only read memory; the other methods run
 * on worker threads and may score, but never start a Spark job in a request. The one table read
 * they may do is an entity's rows by id when its features source is too large to hold in memory
 * ({@link PointFeatures}).
 *
 * <p>Errors a client can act on are {@link ServingException}s (404, 400, 503); anything else is a
 * 500.
 */
public interface OnDemandScoring {
  /** The spec's {@code serving.on_missing}: true for {@code score}, false for {@code not_found}. */
  boolean scoresMissing();

  /** The spec's {@code serving.on_stale}: true for {@code score}, false for {@code serve}. */
  boolean scoresStale();

  /**
   * A still-valid earlier online answer for {@code id} with the production version, from memory.
   */
  Optional<ServedPrediction> findCached(Object id);

  /**
   * Scores {@code id} from its features with the production version (and caches the answer); the
   * lookup calls it after {@link #findCached} missed, so its own look in the cache (an answer may
   * have been cached since) does not count as another miss.
   *
   * @throws ServingException 404 when the features have no row for {@code id}, 503 while the
   *     version or the features are still loading
   */
  ServedPrediction scoreEntity(Object id);

  /**
   * Scores {@code id} from its features with {@code version}, e.g. a candidate before promotion.
   *
   * @throws ServingException 404 for an unknown version or id, 503 while the version is loading
   */
  ServedPrediction scoreEntity(int version, Object id);

  /**
   * Scores feature values given in a request body with the production version; reads no table. Each
   * row maps feature column names (and optionally the id column) to JSON values.
   *
   * @throws ServingException 400 naming the row and the feature when a value is refused
   */
  List<ServedPrediction> scoreRows(List<Map<String, Object>> rows);

  /**
   * Why this model cannot score on demand now (a stage the row scorer refuses, features that failed
   * to load or exceed the memory setting); empty when it can. {@code /healthz} reports these.
   */
  List<String> problems();

  /**
   * The model versions this scoring holds in memory and when each finished loading, for {@code
   * /metrics}; empty by default.
   */
  default Map<Integer, Instant> loadedVersions() {
    return Map.of();
  }
}
