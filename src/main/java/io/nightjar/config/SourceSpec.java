package io.nightjar.config;

import java.util.Map;

/**
 * Where a job reads rows from: a catalog table, or a path with a format ({@code delta}, {@code
 * parquet} or {@code csv}) and reader options.
 */
public record SourceSpec(TableName table, String path, String format, Map<String, String> options) {
  public SourceSpec {
    if ((table == null) == (path == null)) {
      throw new IllegalArgumentException("exactly one of table and path must be set");
    }
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  public static SourceSpec table(TableName table) {
    return new SourceSpec(table, null, "delta", Map.of());
  }

  /** How the source is written in run logs and in {@code model_versions.training_source}. */
  public String describe() {
    return table != null ? table.toString() : format + ":" + path;
  }
}
