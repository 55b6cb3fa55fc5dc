package io.nightjar.data;

import io.delta.tables.DeltaTable;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Identifiers;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import scala.Option;

/**
 * Reads a {@link SourceSpec} once and pins it: for Delta sources the current version is looked up
 * first and that exact version is read (time travel), so the version recorded with a model or a
 * score is the one its rows came from even if a writer commits meanwhile.
 */
public final class SourceReader {
  private final SparkSession spark;

  public SourceReader(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * Reads {@code source}; {@code key} names the config key in errors.
   *
   * @throws ConfigException when the table or path does not exist
   */
  public SourceSnapshot read(String key, SourceSpec source) {
    return read(key, source, null);
  }

  /**
   * Reads {@code source} as it was at Delta version {@code version} (time travel), or as it is now
   * when {@code version} is null (the source is not a Delta table, or the latest version is
   * wanted).
   *
   * @throws DataException naming the source and version when that version can no longer be read
   *     (its log or files were removed by log retention or VACUUM)
   */
  public SourceSnapshot read(String key, SourceSpec source, Long version) {
    if (version == null) {
      return source.table() != null ? readTable(key, source, null) : readPath(key, source, null);
    }
    try {
      return source.table() != null
          ? readTable(key, source, version)
          : readPath(key, source, version);
    } catch (ConfigException | DataException e) {
      throw e;
    } catch (Exception e) {
      // Not only runtime exceptions: Delta's VersionNotFoundException is an AnalysisException,
      // checked for Java.
      throw new DataException(
          String.format(
              "Cannot read %s at version %d: that version is no longer available (%s). Delta keeps old versions for"
                  + " delta.logRetentionDuration and their files until VACUUM removes them; see docs/operations.md.",
              source.describe(), version, firstLine(e.getMessage())),
          e);
    }
  }

  /**
   * The latest Delta version of {@code source}, or null when it is not a Delta table (its files
   * carry no version). Reads the newest commit of the log only; scans no data.
   *
   * @throws ConfigException naming {@code key} when the table or path does not exist
   */
  public Long latestVersion(String key, SourceSpec source) {
    if (source.table() != null) {
      var name = source.table();
      requireTable(key, name);
      return isDelta(name.toString()) ? latestVersion(DeltaTable.forName(spark, name.sql())) : null;
    }
    if (!"delta".equals(source.format())) {
      return null;
    }
    ConfigException.check(
        DeltaTable.isDeltaTable(spark, source.path()),
        "Invalid value for '%s': '%s' is not a Delta table.",
        key,
        source.path());
    return latestVersion(DeltaTable.forPath(spark, source.path()));
  }

  /**
   * Where the Delta table of {@code source} lies (its catalog location, or its path), or empty when
   * the source is not Delta. Asks the catalog only: no Delta log is read and no Spark job starts,
   * so a caller that learns versions without Spark ({@code serve}'s checks) can poll it.
   *
   * @throws ConfigException naming {@code key} when the table does not exist
   */
  public Optional<String> deltaPath(String key, SourceSpec source) {
    if (source.table() == null) {
      return "delta".equals(source.format()) ? Optional.of(source.path()) : Optional.empty();
    }
    var name = source.table();
    requireTable(key, name);
    CatalogTable table;
    try {
      table =
          spark
              .sessionState()
              .catalog()
              .getTableMetadata(new TableIdentifier(name.table(), Option.apply(name.database())));
    } catch (AnalysisException e) {
      // Dropped since the check above.
      throw missingTable(key, name);
    }
    boolean delta =
        table.provider().isDefined() && "delta".equalsIgnoreCase(table.provider().get());
    return delta ? Optional.of(table.location().toString()) : Optional.empty();
  }

  private void requireTable(String key, TableName name) {
    if (!spark.catalog().tableExists(name.database(), name.table())) {
      throw missingTable(key, name);
    }
  }

  private static ConfigException missingTable(String key, TableName name) {
    return new ConfigException(
        String.format(
            "Invalid value for '%s': table '%s' does not exist in the warehouse.", key, name));
  }

  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse("no detail");
  }

  private SourceSnapshot readTable(String key, SourceSpec source, Long pinned) {
    var name = source.table();
    requireTable(key, name);
    if (isDelta(name.toString())) {
      long version = pinned != null ? pinned : latestVersion(DeltaTable.forName(spark, name.sql()));
      Dataset<Row> rows = spark.sql("SELECT * FROM " + name.sql() + " VERSION AS OF " + version);
      return new SourceSnapshot(rows, version, source.describe());
    }
    return new SourceSnapshot(spark.table(name.sql()), null, source.describe());
  }

  private SourceSnapshot readPath(String key, SourceSpec source, Long pinned) {
    String path = source.path();
    if ("delta".equals(source.format())) {
      ConfigException.check(
          DeltaTable.isDeltaTable(spark, path),
          "Invalid value for '%s': '%s' is not a Delta table.",
          key,
          path);
      long version = pinned != null ? pinned : latestVersion(DeltaTable.forPath(spark, path));
      Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", version).load(path);
      return new SourceSnapshot(rows, version, source.describe());
    }
    Map<String, String> options = new HashMap<>();
    if ("csv".equals(source.format())) {
      options.put("header", "true");
      options.put("inferSchema", "true");
    }
    options.putAll(source.options());
    DataFrameReader reader = spark.read().format(source.format()).options(options);
    try {
      return new SourceSnapshot(reader.load(path), null, source.describe());
    } catch (Exception e) {
      // Spark's AnalysisException is checked for Java but thrown undeclared by load.
      String errorClass = e instanceof SparkThrowable thrown ? thrown.getErrorClass() : null;
      if ("PATH_NOT_FOUND".equals(errorClass)) {
        throw new ConfigException(
            String.format("Invalid value for '%s': path '%s' does not exist.", key, path), e);
      }
      if ("UNABLE_TO_INFER_SCHEMA".equals(errorClass)) {
        throw new DataException(
            String.format(
                "Cannot read %s (%s): it has no %s files, so no rows.",
                source.describe(), key, source.format()),
            e);
      }
      throw e instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getMessage(), e);
    }
  }

  private boolean isDelta(String table) {
    try {
      DeltaTable.forName(spark, quoteName(table));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String quoteName(String table) {
    String[] parts = table.split("\\.");
    return Identifiers.quote(parts[0], parts[1]);
  }

  private static long latestVersion(DeltaTable table) {
    return table.history(1).select("version").first().getLong(0);
  }
}
