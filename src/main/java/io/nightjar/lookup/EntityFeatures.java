package io.nightjar.lookup;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The features of a model's entities by id at one version of its features source, as on-demand
 * scoring reads them: held in memory ({@link FeatureSnapshot}) or read by id from the Delta source
 * ({@link PointFeatures}, for a source above {@code serve.features_memory}). Both give an id's
 * newest row by the same rule and the same Java values. Safe to read from any number of threads.
 */
public interface EntityFeatures {
  /** The Delta version of the source these rows are read at; -1 for a source that is not Delta. */
  long sourceVersion();

  IdType idType();

  /** The feature columns given by {@link #find}, in load order. */
  List<String> columns();

  /**
   * The features of entity {@code id} (a value {@link IdType#parse} returned) by column name: a
   * {@link Double}, {@link Long}, {@link Boolean} or {@link String} as the column's {@link
   * FeatureSnapshot.Kind} says, null for a null value; empty when the source has no row for the id.
   */
  Optional<Map<String, Object>> find(Object id);

  /** How the rows are held, for {@code serve}'s log: e.g. "1200 entities' features in memory". */
  String describe();
}
