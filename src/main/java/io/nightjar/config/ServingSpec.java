package io.nightjar.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The spec's {@code serving} section (docs/configuration.md): how {@code serve} answers for a model
 * beyond its precomputed table. Every key has a default, so a spec with a {@code scoring} section
 * and no {@code serving} section serves with {@link #defaults(ScoringSpec)}.
 *
 * @param features where an entity's features are found by id (default {@code scoring.input})
 * @param onMissing what an id with no precomputed row gets
 * @param onStale what a precomputed row past its {@code valid_until} gets
 * @param cacheTtl how long an on-demand answer is cached and valid (default {@code scoring.ttl})
 */
public record ServingSpec(
    SourceSpec features, OnMissing onMissing, OnStale onStale, Duration cacheTtl) {
  /** {@code serving.on_missing}: an id with no precomputed row. */
  public enum OnMissing {
    /** Score the entity from its features. */
    SCORE,
    /** Answer 404. */
    NOT_FOUND
  }

  /** {@code serving.on_stale}: a precomputed row past its {@code valid_until}. */
  public enum OnStale {
    /** Answer the stale row ({@code is_fresh: false}). */
    SERVE,
    /** Score the entity again from its features. */
    SCORE
  }

  public ServingSpec {
    requireNonNull(features, "features is null");
    requireNonNull(onMissing, "onMissing is null");
    requireNonNull(onStale, "onStale is null");
    requireNonNull(cacheTtl, "cacheTtl is null");
  }

  /** The serving of a spec without a {@code serving} section: every key at its default. */
  public static ServingSpec defaults(ScoringSpec scoring) {
    return new ServingSpec(scoring.input(), OnMissing.SCORE, OnStale.SERVE, scoring.ttl());
  }
}
