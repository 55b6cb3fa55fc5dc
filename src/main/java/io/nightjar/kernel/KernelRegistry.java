package io.nightjar.kernel;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.TableName;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelEventsTable;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.registry.RegistryView;
import io.nightjar.registry.TableRow;
import io.nightjar.spark.Warehouse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;

/**
 * The registry's answers read with Delta Kernel, without a SparkSession: the same records and order
 * as {@link io.nightjar.registry.ModelRegistry}, built by the same row conversions. Each table is
 * read once, at its first question, and answers from that snapshot after: one invocation of a
 * command sees one state of each table (open a new reader to see later commits).
 */
public final class KernelRegistry implements RegistryView {
  private final KernelTables tables;
  private final String warehouse;
  private final String database;
  private List<TableRow> versionRows;
  private List<TableRow> aliasRows;
  private List<TableRow> eventRows;
  private Boolean exists;

  public KernelRegistry(String warehouse, String database, Configuration hadoop) {
    this.tables = new KernelTables(hadoop);
    this.warehouse = warehouse;
    this.database = database;
  }

  /** The registry of {@code env}'s warehouse and database. */
  public static KernelRegistry open(EnvironmentConfig env) {
    return opener(env).get();
  }

  /**
   * Opens a new reader of {@code env}'s registry at each call, all with one Hadoop configuration:
   * for checks that repeat every few seconds, where parsing the configuration's XML each time would
   * be most of a check's work.
   */
  public static Supplier<KernelRegistry> opener(EnvironmentConfig env) {
    return opener(env, KernelTables.hadoopConf(env.sparkConf()));
  }

  /**
   * As {@link #opener(EnvironmentConfig)}, reaching the warehouse with {@code hadoop}: a job's
   * Spark session's settings, which under spark-submit include the cluster's.
   */
  public static Supplier<KernelRegistry> opener(EnvironmentConfig env, Configuration hadoop) {
    return () -> new KernelRegistry(env.warehouse(), env.database(), hadoop);
  }

  @Override
  public boolean tablesExist() {
    if (exists == null) {
      exists = tables.exists(path(ModelVersionsTable.NAME));
    }
    return exists;
  }

  @Override
  public List<String> models() {
    TreeSet<String> names = new TreeSet<>();
    for (TableRow row : versionRows()) {
      names.add(row.get(ModelVersionsTable.MODEL_NAME));
    }
    return List.copyOf(names);
  }

  @Override
  public List<ModelVersion> versions(String model) {
    List<ModelVersion> out = new ArrayList<>();
    for (TableRow row : ofModel(versionRows(), model)) {
      out.add(ModelVersionsTable.fromRow(row));
    }
    out.sort(Comparator.comparingInt(ModelVersion::version));
    return out;
  }

  @Override
  public Optional<ModelVersion> find(String model, int version) {
    return versions(model).stream().filter(v -> v.version() == version).findFirst();
  }

  @Override
  public int latestVersion(String model) {
    List<ModelVersion> versions = versions(model);
    return versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
  }

  @Override
  public Map<String, Integer> aliases(String model) {
    if (aliasRows == null) {
      aliasRows = tables.read(path(ModelAliasesTable.NAME));
    }
    return ModelAliasesTable.aliases(ofModel(aliasRows, model));
  }

  @Override
  public ModelHistory history(String model) {
    if (eventRows == null) {
      eventRows = tables.read(path(ModelEventsTable.NAME));
    }
    List<TableRow> rows = ofModel(eventRows, model);
    rows.sort(ModelEventsTable.COMMIT_ORDER);
    return ModelEventsTable.history(model, rows);
  }

  private List<TableRow> versionRows() {
    if (versionRows == null) {
      versionRows = tables.read(path(ModelVersionsTable.NAME));
    }
    return versionRows;
  }

  /** {@code model}'s rows; every registry table keys on the same model column. */
  private static List<TableRow> ofModel(List<TableRow> rows, String model) {
    List<TableRow> out = new ArrayList<>();
    for (TableRow row : rows) {
      if (model.equals(row.get(ModelVersionsTable.MODEL_NAME))) {
        out.add(row);
      }
    }
    return out;
  }

  private String path(String table) {
    return Warehouse.location(warehouse, new TableName(database, table));
  }
}
