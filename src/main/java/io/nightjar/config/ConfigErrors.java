package io.nightjar.config;

/**
 * Config errors that several checks share, built in one place so that each sentence is written
 * once: the key path that is wrong, and what would be valid. Each method returns the exception for
 * the caller to throw.
 */
public final class ConfigErrors {
  private ConfigErrors() {}

  /** A required key is absent (or blank). */
  public static ConfigException missingKey(String path) {
    return new ConfigException(String.format("Missing required key '%s'.", path));
  }

  /** A required key that takes one of a set of names is absent; {@code valid} lists them. */
  public static ConfigException missingChoice(String path, String valid) {
    return new ConfigException(
        String.format("Missing required key '%s'. Valid values: %s.", path, valid));
  }

  /** The value at {@code path} should be a nested mapping. */
  public static ConfigException notAMapping(String path) {
    return new ConfigException(
        String.format("Invalid value for '%s': expected a mapping of keys to values.", path));
  }

  /** A grid value, or a range's bound, outside what its key accepts. */
  public static ConfigException invalidGridValue(String path, String value, String valid) {
    return new ConfigException(
        String.format("Invalid value for '%s': '%s'. Expected %s.", path, value, valid));
  }

  /** A range whose {@code min} is not below its {@code max}. */
  public static ConfigException emptyRange(String path, double min, double max) {
    return new ConfigException(
        String.format(
            "Invalid range '%s': min (%s) must be below max (%s); for a single value use a list,"
                + " e.g. [%s].",
            path, plain(min), plain(max), plain(min)));
  }

  /** A log-scale range must start above 0, where logarithms exist. */
  public static ConfigException logRangeFromZero(String path, double min) {
    return new ConfigException(
        String.format(
            "Invalid value for '%s': '%s'. A range with scale log needs min greater than 0; use"
                + " scale linear to start at 0.",
            path, plain(min)));
  }

  /** A range under {@code search: grid}, which lists points and cannot draw from a range. */
  public static ConfigException rangeNeedsSampling(String path, String searchPath) {
    return new ConfigException(
        String.format(
            "Invalid grid value '%s': a range needs a search that draws from it; set '%s' to"
                + " random, halving or bayes, or give a list of values.",
            path, searchPath));
  }

  /**
   * A {@code serving} section with neither {@code serving.features} nor a {@code scoring} input.
   */
  public static ConfigException servingWithoutFeatures(String path) {
    return servingWithoutDefault(path, "input", "a source, e.g. {table: db.features}");
  }

  /** A {@code serving} section with neither {@code serving.cache_ttl} nor a {@code scoring} ttl. */
  public static ConfigException servingWithoutCacheTtl(String path) {
    return servingWithoutDefault(path, "ttl", "a duration, e.g. 6h");
  }

  /**
   * A {@code serving} key left out, whose default is the {@code scoring} section's {@code what}, in
   * a spec without one; the user gives {@code example} instead.
   */
  private static ConfigException servingWithoutDefault(String path, String what, String example) {
    return new ConfigException(
        String.format(
            "Missing required key '%s': the spec has no 'scoring' section whose %s it could"
                + " default to; give %s, or add 'scoring'.",
            path, what, example));
  }

  private static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
