package io.nightjar.lookup;

import java.util.Locale;

/** Where an answer of the HTTP lookup came from: the answer's {@code source} field. */
public enum PredictionSource {
  /** The precomputed prediction table, as the last {@code score} wrote it. */
  PRECOMPUTED,
  /** Scored in this request from the entity's features (or the request body). */
  ONLINE,
  /** An earlier online answer, still valid, from the in-memory answer cache. */
  CACHE;

  /** The spelling in answers: lower case. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
