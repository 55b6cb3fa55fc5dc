package io.nightjar.jobs;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.monitoring.Run;
import io.nightjar.monitoring.RunLog;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.ModelRegistry;
import io.nightjar.registry.TrialsTable;
import io.nightjar.spark.SparkSessions;
import io.nightjar.spark.Warehouse;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * What every job works with: the environment, the Spark session, the warehouse and the Nightjar
 * tables. {@code progress} receives human-readable progress lines (stderr for the CLI).
 */
public final class JobContext {
  private final EnvironmentConfig env;
  private final SparkSession spark;
  private final Warehouse warehouse;
  private final ModelRegistry registry;
  private final RunLog runs;
  private final TrialsTable trials;
  private final ArtifactStore artifacts;
  private final PrintWriter progress;
  private boolean tablesReady;

  public JobContext(EnvironmentConfig env, SparkSession spark, PrintWriter progress) {
    this.env = env;
    this.spark = spark;
    this.warehouse = new Warehouse(spark, env);
    // Look-ups read the registry with Delta Kernel (tens of milliseconds, where a Spark query on
    // the same small table takes a second or more); writes stay on Spark (issue 18).
    this.registry =
        new ModelRegistry(
            warehouse,
            env.database(),
            KernelRegistry.opener(
                env, new Configuration(spark.sparkContext().hadoopConfiguration())));
    this.runs = new RunLog(warehouse, env.database());
    this.trials = new TrialsTable(warehouse, env.database());
    this.artifacts = new ArtifactStore(env.artifacts(), spark.sparkContext().hadoopConfiguration());
    this.progress = progress;
  }

  /**
   * Starts (or joins) the process's Spark session and makes the warehouse's tables known by name.
   */
  public static JobContext open(EnvironmentConfig env, PrintWriter progress) {
    SparkSession spark = SparkSessions.getOrCreate(env);
    JobContext context = new JobContext(env, spark, progress);
    context.warehouse.prepareCatalog();
    return context;
  }

  /**
   * Creates Nightjar's own tables when missing (checked once per context: tables are never dropped
   * by Nightjar).
   */
  public void ensureTables() {
    if (tablesReady) {
      return;
    }
    warehouse.ensureDatabase(env.database());
    registry.ensureTables();
    runs.ensureTable();
    trials.ensureTable();
    tablesReady = true;
  }

  public EnvironmentConfig env() {
    return env;
  }

  public SparkSession spark() {
    return spark;
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  public ModelRegistry registry() {
    return registry;
  }

  public RunLog runs() {
    return runs;
  }

  public TrialsTable trials() {
    return trials;
  }

  public ArtifactStore artifacts() {
    return artifacts;
  }

  public PrintWriter progress() {
    return progress;
  }

  /**
   * Runs {@code work} as one run of {@code job} in the run log: the run starts now and ends
   * succeeded when {@code work} returns, or failed with the error (which is thrown on) when it
   * throws.
   */
  public <T> T inRun(String job, String model, LocalDate date, Function<Run, T> work) {
    Run run = runs.start(job, model, date);
    try {
      T result = work.apply(run);
      run.succeed();
      return result;
    } catch (
        Exception e) { // Spark throws checked exceptions undeclared: those too must end the run
      run.fail(e);
      throw e;
    }
  }
}
