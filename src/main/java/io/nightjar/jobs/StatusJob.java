package io.nightjar.jobs;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.kernel.KernelMonitoring;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.monitoring.Alert;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.RegistryView;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code status}: does anything of a model need a person? It judges the freshness of the model's
 * predictions against their TTL, the last run of each job ({@link RunHealth}: failed, timed out,
 * degraded, left running, slow), whether late labels still arrive while the model is evaluated, and
 * the drift and degradation alerts of the latest {@code evaluate}. Each finding is an {@link Alert}
 * with a kind, since when it holds and what it is; the {@code alerts} table is brought in line with
 * them (new ones opened, cleared ones resolved), and the open ones are returned. Starts no training
 * or scoring.
 *
 * <p>The tables are read through a {@link MonitoringView} and a {@link RegistryView}: Spark's (a
 * job's context) or Delta Kernel's ({@link #readingWithKernel}, the {@code status} command); the
 * rows are judged here, in {@link RunHealth} and in {@link EvaluationHealth} alike for both.
 */
public final class StatusJob {
  /**
   * One model's health; {@code problems} (one line per open alert) is empty when it needs no one.
   */
  public record ModelStatus(
      String model,
      Integer production,
      Timestamp lastScoredAt,
      Timestamp validUntil,
      Boolean fresh,
      List<String> lastRuns,
      List<Alert> alerts,
      List<String> problems) {
    public boolean healthy() {
      return problems.isEmpty();
    }
  }

  private final EnvironmentConfig env;
  private final RegistryView registry;
  private final MonitoringView tables;
  private final Supplier<JobContext> spark;

  /** Reads and writes through {@code context}'s Spark session. */
  public StatusJob(JobContext context) {
    this(context.env(), context.registry(), new SparkMonitoringView(context), () -> context);
  }

  /**
   * Reads the registry and the monitoring tables through {@code registry} and {@code tables}, and
   * asks {@code spark} for a job context only when the {@code alerts} table must change.
   */
  public StatusJob(
      EnvironmentConfig env,
      RegistryView registry,
      MonitoringView tables,
      Supplier<JobContext> spark) {
    this.env = env;
    this.registry = registry;
    this.tables = tables;
    this.spark = spark;
  }

  /**
   * Reads {@code env}'s tables with Delta Kernel, so a status that finds what the {@code alerts}
   * table already holds starts no Spark; {@code spark} opens the job context when it must change.
   */
  public static StatusJob readingWithKernel(EnvironmentConfig env, Supplier<JobContext> spark) {
    return new StatusJob(env, KernelRegistry.open(env), KernelMonitoring.open(env), spark);
  }

  /** The status of {@code model}, or of every registered model when it is null. */
  public List<ModelStatus> run(String model) {
    List<String> models = model != null ? List.of(model) : registry.models();
    if (model != null) {
      registry.requireModel(model);
    }
    Timestamp now = Timestamp.from(Instant.now());
    List<ModelStatus> out = new ArrayList<>();
    for (String name : models) {
      out.add(status(name, now));
    }
    return out;
  }

  /** Judges {@code model} and brings its rows of the {@code alerts} table in line. */
  public void refresh(String model) {
    status(model, Timestamp.from(Instant.now()));
  }

  private ModelStatus status(String model, Timestamp now) {
    List<Alert> found = new ArrayList<>();
    ModelSpec spec = new SpecResolver(env, registry).forExisting(model);
    Timestamp scoredAt = null;
    Timestamp validUntil = null;
    Boolean fresh = null;
    if (spec.scoring() != null) {
      TableName predictions = new TableName(env.database(), spec.scoring().output());
      Optional<MonitoringView.LatestScores> latest = tables.findLatestScores(predictions, model);
      if (latest.isEmpty()) {
        found.add(
            new Alert(AlertsTable.MISSING_PREDICTIONS, now, "never scored into " + predictions));
      } else {
        scoredAt = latest.get().scoredAt();
        validUntil = latest.get().validUntil();
        fresh = now.before(validUntil);
        if (!fresh) {
          found.add(
              new Alert(
                  AlertsTable.STALE_PREDICTIONS,
                  validUntil,
                  "the latest predictions in " + predictions + " were valid until " + validUntil));
        }
      }
    }
    RunHealth.Findings runs = new RunHealth(spec, now).judge(tables.runs(model));
    found.addAll(runs.alerts());
    found.addAll(new EvaluationHealth(spec, tables).alerts());
    List<Alert> open = AlertsTable.open(tables.alerts(model));
    if (!tables.alertsExist() || AlertsTable.changes(open, AlertsTable.KINDS, found)) {
      open = sync(model, found, now);
    }
    Integer production = registry.aliases(model).get(ModelAliasesTable.PRODUCTION);
    return new ModelStatus(
        model,
        production,
        scoredAt,
        validUntil,
        fresh,
        runs.lastRuns(),
        open,
        open.stream().map(Alert::describe).toList());
  }

  /**
   * Makes {@code found} the open alerts of {@code model} and returns them as the table has them.
   * Only Spark can: opening, updating and resolving alerts is one Delta {@code MERGE}, which Delta
   * Kernel does not write (it appends only). So Spark starts here, when an alert opens, changes or
   * resolves, or the table is still to be created; a repeated status that finds the same alerts
   * never comes here.
   */
  private List<Alert> sync(String model, List<Alert> found, Timestamp now) {
    JobContext context = spark.get();
    AlertsTable table = new AlertsTable(context.warehouse(), env.database());
    table.sync(model, AlertsTable.KINDS, found, now);
    return table.open(model);
  }
}
