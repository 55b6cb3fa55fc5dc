package io.nightjar.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code metastore} key of the environment config: which catalog a process run by the launcher
 * uses. Either the shared Hive metastore on Derby's network server at {@code 127.0.0.1:port} (the
 * default, port 1527), whose database lives under the warehouse, or {@code in-memory}: a catalog of
 * this process only, rebuilt from the warehouse directory at start, for throw-away sessions. Under
 * {@code spark-submit} the cluster's catalog settings rule instead.
 */
public record MetastoreConfig(boolean inMemory, int port) {
  public static final String KEY = "metastore";
  public static final String IN_MEMORY = "in-memory";
  public static final int DEFAULT_PORT = 1527;

  public MetastoreConfig {
    ConfigException.check(
        inMemory || (port >= 1 && port <= 65535),
        "Invalid value for 'metastore.port': '%d'. Expected a whole number from 1 to 65535.",
        port);
  }

  /** The shared metastore on the default port. */
  public static MetastoreConfig shared() {
    return new MetastoreConfig(false, DEFAULT_PORT);
  }

  public static MetastoreConfig inMemoryCatalog() {
    return new MetastoreConfig(true, 0);
  }

  /**
   * Parses {@code metastore: in-memory} or {@code metastore: {port: P}}; absent means {@link
   * #shared()}.
   */
  static MetastoreConfig parse(ConfigNode root) {
    if (!root.has(KEY)) {
      return shared();
    }
    JsonNode value = root.raw(KEY);
    if (value.isValueNode()) {
      ConfigException.check(
          IN_MEMORY.equals(value.asText()),
          "Invalid value for 'metastore': '%s'. Expected '%s' or a mapping such as {port: %d}.",
          value.asText(),
          IN_MEMORY,
          DEFAULT_PORT);
      return inMemoryCatalog();
    }
    ConfigNode node = root.child(KEY);
    node.allowOnly("port");
    return new MetastoreConfig(false, node.integer("port", DEFAULT_PORT, 1, 65535));
  }
}
