package io.nightjar.config;

import org.apache.spark.network.util.JavaUtils;

/**
 * The {@code serve} section of the environment config (docs/configuration.md): limits of the memory
 * that {@code serve} holds for on-demand scoring.
 *
 * @param cacheEntries the most on-demand answers the answer cache holds (per served model)
 * @param featuresMemoryBytes the largest estimated size of one model's in-memory features; a
 *     features source above it is not held and that model does not score by id on demand
 */
public record ServeConfig(long cacheEntries, long featuresMemoryBytes) {
  public static final String KEY = "serve";
  public static final long DEFAULT_CACHE_ENTRIES = 100_000;
  public static final String DEFAULT_FEATURES_MEMORY = "1g";

  public ServeConfig {
    ConfigException.check(
        cacheEntries >= 0,
        "Invalid value for 'serve.cache_entries': '%d'. Expected a whole number from 0.",
        cacheEntries);
    ConfigException.check(
        featuresMemoryBytes > 0,
        "Invalid value for 'serve.features_memory': '%d'. Expected a size greater than 0.",
        featuresMemoryBytes);
  }

  public static ServeConfig defaults() {
    return new ServeConfig(DEFAULT_CACHE_ENTRIES, bytes("", DEFAULT_FEATURES_MEMORY));
  }

  /** Parses {@code serve: {cache_entries: N, features_memory: SIZE}}; absent means defaults. */
  static ServeConfig parse(ConfigNode root) {
    ConfigNode node = root.child(KEY);
    if (node == null) {
      return defaults();
    }
    node.allowOnly("cache_entries", "features_memory");
    long entries = node.integer("cache_entries", (int) DEFAULT_CACHE_ENTRIES, 0, Integer.MAX_VALUE);
    String memory = node.string("features_memory", DEFAULT_FEATURES_MEMORY);
    return new ServeConfig(entries, bytes(node.pathOf("features_memory"), memory));
  }

  /** A size such as {@code 512m} or {@code 2g} (Spark's spelling) in bytes. */
  private static long bytes(String path, String text) {
    long value;
    try {
      value = JavaUtils.byteStringAsBytes(text);
    } catch (NumberFormatException e) {
      value = -1;
    }
    ConfigException.check(
        value > 0,
        "Invalid value for '%s': '%s'. Expected a size with a unit b, k, m or g, e.g. 512m or 2g.",
        path,
        text);
    return value;
  }
}
