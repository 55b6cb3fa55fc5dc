package io.nightjar.spark;

import io.delta.tables.DeltaTable;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse: where each table's files live ({@code <warehouse>/<database>.db/<table>}) and how
 * the catalog learns of them. Nightjar writes every table by path and then registers it by name, so
 * the same code works with a shared Hive metastore and with the embedded default, where the catalog
 * lives in memory and is rebuilt from the warehouse directory by {@link #discover()} when a process
 * starts. View definitions are kept beside the tables (under {@code _nightjar/views}) for the same
 * reason.
 */
public final class Warehouse {
  private static final Logger LOG = LoggerFactory.getLogger(Warehouse.class);
  private static final String VIEWS_DIR = "_nightjar/views";

  /**
   * Property of the metastore's {@code default} database: when the warehouse's existing tables were
   * registered.
   */
  private static final String REGISTERED = "nightjar.registered";

  private final SparkSession spark;
  private final String root;

  public Warehouse(SparkSession spark, EnvironmentConfig env) {
    this.spark = spark;
    this.root = env.warehouse().replaceAll("/+$", "");
  }

  public SparkSession spark() {
    return spark;
  }

  /** Where {@code table}'s files live. */
  public String location(TableName table) {
    return location(root, table);
  }

  /**
   * Where {@code table}'s files live under the warehouse {@code warehouse}; for readers without a
   * session (io.nightjar.kernel).
   */
  public static String location(String warehouse, TableName table) {
    return warehouse.replaceAll("/+$", "") + "/" + table.database() + ".db/" + table.table();
  }

  /** The current snapshot of {@code table}. */
  public Dataset<Row> read(TableName table) {
    return spark.read().format("delta").load(location(table));
  }

  /**
   * The current snapshot of {@code table}, or no rows with {@code schema} before a job has created
   * it.
   */
  public Dataset<Row> readOrEmpty(TableName table, StructType schema) {
    return exists(table) ? read(table) : spark.createDataFrame(List.of(), schema);
  }

  /** True when {@code table} holds a Delta table (whether or not the catalog knows it yet). */
  public boolean exists(TableName table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  public void ensureDatabase(String database) {
    Identifiers.sqlName("database", database);
    if (spark.catalog().databaseExists(database)) {
      return;
    }
    ifNotCreatedMeanwhile(
        () -> spark.catalog().databaseExists(database),
        () ->
            spark.sql(
                "CREATE DATABASE IF NOT EXISTS "
                    + Identifiers.quote(database)
                    + " LOCATION "
                    + Identifiers.literal(root + "/" + database + ".db")));
  }

  /** Makes {@code table} known to the catalog by name; its Delta files must exist. */
  public void register(TableName table) {
    ensureDatabase(table.database());
    ifNotCreatedMeanwhile(
        () -> spark.catalog().tableExists(table.database(), table.table()),
        () ->
            spark.sql(
                "CREATE TABLE IF NOT EXISTS "
                    + table.sql()
                    + " USING delta LOCATION "
                    + Identifiers.literal(location(table))));
  }

  /**
   * Runs {@code create}; if it fails because another process created the same name between its
   * check and its write (with a shared metastore, IF NOT EXISTS is not atomic), the name exists now
   * and that is success.
   */
  private static void ifNotCreatedMeanwhile(BooleanSupplier exists, Runnable create) {
    try {
      create.run();
    } catch (Exception e) { // Spark's AnalysisException is checked, but Scala throws it undeclared
      if (!exists.getAsBoolean()) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
      }
    }
  }

  /**
   * Creates an empty Delta table with {@code schema} unless it exists, and registers it. Safe when
   * several processes create the same table at once.
   */
  public void ensureTable(TableName table, StructType schema, List<String> partitionColumns) {
    if (!exists(table)) {
      DeltaRetry.run(
          "create table " + table,
          () -> {
            var builder = DeltaTable.createIfNotExists(spark).location(location(table));
            for (StructField field : schema.fields()) {
              builder = builder.addColumn(field);
            }
            if (!partitionColumns.isEmpty()) {
              builder = builder.partitionedBy(partitionColumns.toArray(String[]::new));
            }
            builder.execute();
          });
    } else {
      addMissingColumns(table, schema);
    }
    register(table);
  }

  /**
   * Adds the nullable columns of {@code schema} that an existing table lacks: tables written by an
   * older Nightjar gain the columns of this one (schema evolution by addition only; nothing is
   * dropped or retyped).
   */
  private void addMissingColumns(TableName table, StructType schema) {
    var existing = Set.of(spark.read().format("delta").load(location(table)).schema().fieldNames());
    for (StructField field : schema.fields()) {
      if (!existing.contains(field.name()) && field.nullable()) {
        DeltaRetry.run(
            "add column " + field.name() + " to " + table,
            () ->
                spark.sql(
                    "ALTER TABLE delta."
                        + Identifiers.quote(location(table))
                        + " ADD COLUMNS ("
                        + Identifiers.quote(field.name())
                        + " "
                        + field.dataType().sql()
                        + ")"));
      }
    }
  }

  /**
   * Creates or replaces a view and keeps its definition in the warehouse, so later processes see it
   * too.
   */
  public void createView(TableName view, String selectSql) {
    ensureDatabase(view.database());
    String create = "CREATE OR REPLACE VIEW " + view.sql() + " AS " + selectSql;
    // Two processes creating the view at once: the loser's create finds the name taken; replacing
    // it then works.
    ifNotCreatedMeanwhile(
        () -> spark.catalog().tableExists(view.database(), view.table()) && replaced(create),
        () -> spark.sql(create));
    Path file = new Path(root + "/" + VIEWS_DIR + "/" + view + ".sql");
    try {
      FileSystem fs = file.getFileSystem(hadoopConf());
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write(selectSql.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot save the definition of view " + view + " under " + file, e);
    }
  }

  /**
   * Makes the warehouse's tables known to the catalog when a process starts. In-memory catalog:
   * {@link #discover()}. Nightjar's shared metastore: nothing, except once for a warehouse whose
   * metastore is new (tables written before the metastore existed, or by processes on an in-memory
   * catalog), whose tables and saved views it registers then. A cluster's metastore (under {@code
   * spark-submit}): nothing.
   */
  public void prepareCatalog() {
    if (!SparkSessions.hiveCatalog(spark)) {
      discover();
    } else if (!SparkSessions.submitted()) {
      registerExistingOnce();
    }
  }

  /**
   * Registers every Delta table under the warehouse and recreates the saved views, on an in-memory
   * catalog only (with a metastore the catalog already knows them, and this does nothing). The
   * entries name each table's location only ({@link CatalogEntry}): a table's log is read when a
   * statement first names it, so this costs a directory listing per table, not a log read.
   */
  public void discover() {
    if (!SparkSessions.hiveCatalog(spark)) {
      registerAll(true);
    }
  }

  /**
   * The one-time registration of a new metastore, under a file lock beside it: processes starting
   * at once on a new warehouse wait for the first, which also makes the metastore create its schema
   * alone (two processes creating it at once can collide). The metastore remembers it as a property
   * of the database {@code default}.
   */
  private void registerExistingOnce() {
    java.nio.file.Path lockFile =
        MetastoreServer.localPath(root).resolve("_nightjar").resolve("catalog.lock");
    try {
      Files.createDirectories(lockFile.getParent());
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (spark
            .sharedState()
            .externalCatalog()
            .getDatabase("default")
            .properties()
            .contains(REGISTERED)) {
          return;
        }
        registerAll(false);
        spark.sql(
            "ALTER DATABASE default SET DBPROPERTIES ("
                + Identifiers.literal(REGISTERED)
                + " = "
                + Identifiers.literal(Instant.now().toString())
                + ")");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot lock " + lockFile + " to prepare the warehouse's metastore", e);
    }
  }

  private boolean replaced(String createOrReplace) {
    spark.sql(createOrReplace);
    return true;
  }

  /**
   * Registers every Delta table under the warehouse and recreates the saved views. {@code lazily}:
   * as catalog entries whose logs are read when a statement names them ({@link CatalogEntry}), for
   * an in-memory catalog rebuilt at each start; otherwise each through {@link #register}, for a
   * metastore that keeps them.
   */
  private void registerAll(boolean lazily) {
    try {
      Path rootPath = new Path(root);
      FileSystem fs = rootPath.getFileSystem(hadoopConf());
      if (!fs.exists(rootPath)) {
        return;
      }
      for (FileStatus database : fs.listStatus(rootPath)) {
        String name = database.getPath().getName();
        if (database.isDirectory() && name.endsWith(".db")) {
          discoverDatabase(fs, database.getPath(), name.substring(0, name.length() - 3), lazily);
        }
      }
      Path views = new Path(rootPath, VIEWS_DIR);
      if (fs.exists(views)) {
        for (FileStatus view : fs.listStatus(views)) {
          restoreView(fs, view.getPath());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the warehouse " + root, e);
    }
  }

  private void discoverDatabase(FileSystem fs, Path dir, String database, boolean lazily)
      throws IOException {
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return;
    }
    ensureDatabase(database);
    for (FileStatus table : fs.listStatus(dir)) {
      String name = table.getPath().getName();
      if (table.isDirectory()
          && name.matches("[A-Za-z_][A-Za-z0-9_]*")
          && hasCommit(fs, new Path(table.getPath(), "_delta_log"))) {
        try {
          TableName tableName = new TableName(database, name);
          if (lazily) {
            CatalogEntry.create(spark, tableName, fs.makeQualified(table.getPath()).toUri());
          } else {
            register(tableName);
          }
        } catch (RuntimeException e) {
          // A log the register could not read (a commit another process is writing, or damage).
          LOG.warn(
              "Skipping {}.{}: not a readable Delta table yet ({})",
              database,
              name,
              e.getMessage());
        }
      }
    }
  }

  /**
   * True when {@code log} holds a commit or a checkpoint. A table another process is creating right
   * now has a log directory without its first commit yet: it is skipped, with a warning, until
   * then.
   */
  private static boolean hasCommit(FileSystem fs, Path log) throws IOException {
    FileStatus[] commits;
    try {
      commits =
          fs.listStatus(
              log,
              file -> file.getName().endsWith(".json") || file.getName().contains(".checkpoint"));
    } catch (FileNotFoundException e) {
      return false;
    }
    if (commits.length == 0) {
      LOG.warn("Skipping {}: its Delta log has no commit yet", log.getParent());
    }
    return commits.length > 0;
  }

  private void restoreView(FileSystem fs, Path file) throws IOException {
    String name = file.getName().replaceAll("\\.sql$", "");
    String[] parts = name.split("\\.");
    if (parts.length != 2) {
      return;
    }
    String sql;
    try (var in = fs.open(file)) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      TableName view =
          new TableName(
              Identifiers.sqlName("view", parts[0]), Identifiers.sqlName("view", parts[1]));
      ensureDatabase(view.database());
      spark.sql("CREATE OR REPLACE VIEW " + view.sql() + " AS " + sql);
    } catch (RuntimeException e) {
      LOG.warn("Skipping view {}: {}", name, e.getMessage());
    }
  }

  private Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
