package io.nightjar.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment a job runs in ({@code conf/nightjar.yaml}, docs/configuration.md): local Spark
 * master and settings, the warehouse root, the database that holds Nightjar's own tables, where
 * model artifacts go, and which catalog local runs use ({@link MetastoreConfig}). {@code warehouse}
 * and {@code artifacts} are Hadoop URIs or local paths; relative local paths resolve against {@code
 * baseDir} (the directory the launcher ran in). {@code serve} holds the limits of {@code serve}'s
 * on-demand scoring ({@link ServeConfig}).
 */
public record EnvironmentConfig(
    String sparkMaster,
    Map<String, String> sparkConf,
    String warehouse,
    String database,
    String artifacts,
    Path modelsDir,
    Path reportsDir,
    MetastoreConfig metastore,
    ServeConfig serve) {
  public static final String DEFAULT_FILE = "conf/nightjar.yaml";
  public static final String ENV_VARIABLE = "NIGHTJAR_CONF";

  public EnvironmentConfig {
    requireNonNull(sparkMaster, "sparkMaster is null");
    sparkConf = Map.copyOf(sparkConf);
    requireNonNull(warehouse, "warehouse is null");
    Identifiers.sqlName("database", database);
    requireNonNull(artifacts, "artifacts is null");
    requireNonNull(modelsDir, "modelsDir is null");
    requireNonNull(reportsDir, "reportsDir is null");
    requireNonNull(metastore, "metastore is null");
    serve = serve == null ? ServeConfig.defaults() : serve;
  }

  /** True for a local path or a {@code file:} URI. */
  public static boolean isLocal(String location) {
    return !location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || location.startsWith("file:");
  }

  /** The defaults of the environment config (docs/configuration.md), rooted at {@code baseDir}. */
  public static EnvironmentConfig defaults(Path baseDir) {
    return new EnvironmentConfig(
        "local[*]",
        Map.of("spark.sql.shuffle.partitions", "8"),
        resolve(baseDir, "./warehouse"),
        "nightjar",
        resolve(baseDir, "./warehouse/artifacts"),
        baseDir.resolve("conf/models").normalize(),
        baseDir.resolve("reports").normalize(),
        MetastoreConfig.shared(),
        ServeConfig.defaults());
  }

  /** Reads {@code file}; relative paths in it resolve against the current directory. */
  public static EnvironmentConfig load(Path file) {
    ConfigException.check(
        Files.isRegularFile(file),
        "Cannot read environment config '%s': no such file. Pass --conf-file or set %s.",
        file,
        ENV_VARIABLE);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          String.format("Cannot read environment config '%s': %s.", file, e.getMessage()), e);
    }
    return parse(text, file.toString(), Path.of("").toAbsolutePath());
  }

  /** Parses environment config text; relative paths resolve against {@code baseDir}. */
  public static EnvironmentConfig parse(String yaml, String origin, Path baseDir) {
    ConfigNode root =
        ConfigNode.root(SpecLoader.readTree(yaml, origin), "environment config '" + origin + "'");
    root.allowOnly(
        "spark",
        "warehouse",
        "database",
        "artifacts",
        "models",
        "reports",
        MetastoreConfig.KEY,
        ServeConfig.KEY);
    EnvironmentConfig defaults = defaults(baseDir);
    String master = defaults.sparkMaster();
    Map<String, String> conf = defaults.sparkConf();
    ConfigNode spark = root.child("spark");
    if (spark != null) {
      spark.allowOnly("master", "conf");
      master = spark.string("master", master);
      if (spark.has("conf")) {
        conf = spark.stringMap("conf");
      }
    }
    String warehouse = resolve(baseDir, root.string("warehouse", "./warehouse"));
    String artifacts =
        root.has("artifacts")
            ? resolve(baseDir, root.string("artifacts", null))
            : warehouse + "/artifacts";
    String database = Identifiers.sqlName("database", root.string("database", "nightjar"));
    Path models = baseDir.resolve(root.string("models", "conf/models")).normalize();
    Path reports = baseDir.resolve(root.string("reports", "reports")).normalize();
    MetastoreConfig metastore = MetastoreConfig.parse(root);
    return new EnvironmentConfig(
        master,
        conf,
        warehouse,
        database,
        artifacts,
        models,
        reports,
        metastore,
        ServeConfig.parse(root));
  }

  /**
   * Local relative paths become absolute so that every process and executor agrees; URIs stay as
   * written.
   */
  private static String resolve(Path baseDir, String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return location;
    }
    return baseDir.resolve(location).normalize().toString();
  }

  /**
   * Returns a copy with another warehouse, database and artifacts root (tests use one per class).
   */
  public EnvironmentConfig withWarehouse(String newWarehouse, String newDatabase) {
    return new EnvironmentConfig(
        sparkMaster,
        sparkConf,
        newWarehouse,
        newDatabase,
        newWarehouse + "/artifacts",
        modelsDir,
        reportsDir,
        metastore,
        serve);
  }
}
