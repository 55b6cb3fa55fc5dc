package io.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.TableName;
import io.nightjar.kernel.KernelMonitoring;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.FeatureDriftTable;
import io.nightjar.monitoring.ModelMetricsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.ModelRegistryTest;
import io.nightjar.registry.TableRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} read with Delta Kernel equals {@code status} read with Spark on the same tables:
 * the rows each reader hands over, and the statuses judged from them, while alerts open, change and
 * resolve; and the Kernel-read status asks for Spark only when the {@code alerts} table must
 * change.
 */
class StatusKernelParityTest {
  private static final String DB = "status_parity";
  private static final String MODEL = "parity";
  private static final String OTHER = "other";
  private static final String OUTPUT = "predictions_parity";
  private static final LocalDate D1 = LocalDate.of(2024, 7, 1);

  @TempDir static Path dir;
  private static JobContext context;

  @Test
  void kernelAndSparkReadTheSameStatusAsAlertsOpenChangeAndResolve() throws Exception {
    context = TestSpark.contextWithDatabase(dir, DB);
    context.ensureTables();
    Files.createDirectories(context.env().modelsDir());
    Files.writeString(
        context.env().modelsDir().resolve(MODEL + ".yaml"),
        TestSpecs.oneTrialRegressionYaml(
            MODEL, DB, OUTPUT, ", slow_run_factor: 3, labels_missing_after: 2d"));
    context.registry().register(ModelRegistryTest.draft(MODEL, "sha-" + UUID.randomUUID()));
    AtomicInteger sparkAsked = new AtomicInteger();

    // Nothing but the registry yet: predictions missing, no runs, no monitoring tables.
    List<StatusJob.ModelStatus> missing = assertSameStatus(context, sparkAsked);
    assertThat(sparkAsked.get())
        .as("the alerts table is created and the first alert opened")
        .isOne();
    assertThat(kernelStatus(context, sparkAsked)).isEqualTo(missing);
    assertThat(sparkAsked.get()).as("nothing changed: no Spark").isOne();

    // Stale predictions (another model's are fresh), a failed and a slow run, labels missing,
    // degradation and drift on the latest evaluated date.
    Timestamp now = new Timestamp(System.currentTimeMillis());
    predictions(MODEL, ago(now, 7200), ago(now, 3600));
    predictions(MODEL, ago(now, 9000), ago(now, 5000));
    predictions(OTHER, ago(now, 60), ago(now, -86_400));
    List<Row> runs = new ArrayList<>();
    for (int day = 0; day < 4; day++) {
      runs.add(run("evaluate", D1.plusDays(day), ago(now, 86_400 * (6 - day)), 100, "succeeded"));
      runs.add(run("score", D1.plusDays(day), ago(now, 86_400 * (6 - day)), 100, "succeeded"));
    }
    runs.add(run("score", D1.plusDays(4), ago(now, 2000), 1000, "succeeded"));
    runs.add(run("promote", D1.plusDays(4), ago(now, 50), 10, "failed"));
    runs.add(run("train", null, ago(now, 40), null, "running"));
    append(context, runs);
    new ModelMetricsTable(context.warehouse(), DB)
        .replace(
            MODEL,
            D1,
            List.of(ModelMetricsTable.row(MODEL, 1, D1, "rmse", 1.0, 10, now, 1.0, false)));
    new ModelMetricsTable(context.warehouse(), DB)
        .replace(
            MODEL,
            D1.plusDays(3),
            List.of(
                ModelMetricsTable.row(MODEL, 1, D1.plusDays(3), "rmse", 3.0, 0, now, 1.0, true),
                ModelMetricsTable.row(MODEL, 1, D1.plusDays(3), "mae", 2.0, 0, now, 1.0, false)));
    new FeatureDriftTable(context.warehouse(), DB)
        .replace(
            MODEL,
            D1.plusDays(3),
            List.of(
                FeatureDriftTable.row(MODEL, 1, D1.plusDays(3), "x2", 0.4, true),
                FeatureDriftTable.row(MODEL, 1, D1.plusDays(3), "x1", 0.01, false),
                FeatureDriftTable.row(MODEL, 1, D1.plusDays(3), "segment", 0.9, true)));
    new FeatureDriftTable(context.warehouse(), DB)
        .replace(
            OTHER,
            D1.plusDays(5),
            List.of(FeatureDriftTable.row(OTHER, 1, D1.plusDays(5), "x1", 2.0, true)));

    List<StatusJob.ModelStatus> opened = assertSameStatus(context, sparkAsked);
    assertThat(sparkAsked.get()).isEqualTo(2);
    assertThat(opened.get(0).alerts())
        .extracting(a -> a.kind())
        .containsExactly(
            AlertsTable.DEGRADATION,
            AlertsTable.DRIFT,
            AlertsTable.LABELS_MISSING,
            AlertsTable.RUN_FAILED,
            AlertsTable.RUN_SLOW,
            AlertsTable.STALE_PREDICTIONS);
    assertThat(opened.get(0).problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .endsWith(
                        "segment drifted on 2024-07-04 (PSI 0.900); x2 drifted on 2024-07-04"
                            + " (PSI 0.400)"));
    assertThat(opened.get(0).lastScoredAt()).isEqualTo(ago(now, 7200));
    assertThat(opened.get(0).validUntil()).isEqualTo(ago(now, 3600));
    assertThat(kernelStatus(context, sparkAsked)).isEqualTo(opened);
    assertThat(sparkAsked.get()).isEqualTo(2);

    // Everything clears: fresh predictions, the failed job succeeds, labels arrive, no alerts.
    predictions(MODEL, ago(now, 10), ago(now, -86_400));
    append(
        context,
        List.of(
            run("promote", D1.plusDays(5), ago(now, 20), 10, "succeeded"),
            run("score", D1.plusDays(5), ago(now, 30), 100, "succeeded")));
    new ModelMetricsTable(context.warehouse(), DB)
        .replace(
            MODEL,
            D1.plusDays(3),
            List.of(
                ModelMetricsTable.row(MODEL, 1, D1.plusDays(3), "rmse", 1.0, 9, now, 1.0, false)));
    new FeatureDriftTable(context.warehouse(), DB).replace(MODEL, D1.plusDays(3), List.of());

    List<StatusJob.ModelStatus> cleared = assertSameStatus(context, sparkAsked);
    assertThat(sparkAsked.get()).isEqualTo(3);
    assertThat(cleared.get(0).alerts()).isEmpty();
    assertThat(cleared.get(0).fresh()).isTrue();
    assertThat(cleared.get(0).lastRuns())
        .contains("promote succeeded 2024-07-06 10s", "train running null");
    assertThat(kernelStatus(context, sparkAsked)).isEqualTo(cleared);
    assertThat(sparkAsked.get()).isEqualTo(3);
  }

  /**
   * Both readers hand over the same rows of {@code MODEL}, and a Kernel-read status (which brings
   * the alerts in line, asking {@code sparkAsked} for Spark when they change) equals the Spark-read
   * status run right after it.
   */
  private static List<StatusJob.ModelStatus> assertSameStatus(
      JobContext context, AtomicInteger sparkAsked) {
    KernelMonitoring kernel = kernelView(context);
    SparkMonitoringView spark = new SparkMonitoringView(context);
    TableName predictions = new TableName(DB, OUTPUT);
    assertThat(kernel.findLatestScores(predictions, MODEL))
        .isEqualTo(spark.findLatestScores(predictions, MODEL));
    assertThat(values(kernel.runs(MODEL), MonitoringView.RUN_COLUMNS))
        .containsExactlyInAnyOrderElementsOf(values(spark.runs(MODEL), MonitoringView.RUN_COLUMNS));
    assertThat(values(kernel.metrics(MODEL), MonitoringView.METRIC_COLUMNS))
        .containsExactlyInAnyOrderElementsOf(
            values(spark.metrics(MODEL), MonitoringView.METRIC_COLUMNS));
    assertThat(values(kernel.drift(MODEL), MonitoringView.DRIFT_COLUMNS))
        .containsExactlyInAnyOrderElementsOf(
            values(spark.drift(MODEL), MonitoringView.DRIFT_COLUMNS));
    assertThat(values(kernel.alerts(MODEL), MonitoringView.ALERT_COLUMNS))
        .containsExactlyInAnyOrderElementsOf(
            values(spark.alerts(MODEL), MonitoringView.ALERT_COLUMNS));
    assertThat(kernel.alertsExist()).isEqualTo(spark.alertsExist());

    List<StatusJob.ModelStatus> byKernel = kernelStatus(context, sparkAsked);
    List<StatusJob.ModelStatus> bySpark = new StatusJob(context).run(null);
    assertThat(byKernel).isEqualTo(bySpark).hasSize(1);
    return byKernel;
  }

  /** The status read with Delta Kernel, counting in {@code sparkAsked} each call for Spark. */
  private static List<StatusJob.ModelStatus> kernelStatus(
      JobContext context, AtomicInteger sparkAsked) {
    return new StatusJob(
            context.env(),
            new KernelRegistry(context.env().warehouse(), DB, new Configuration()),
            kernelView(context),
            () -> {
              sparkAsked.incrementAndGet();
              return context;
            })
        .run(null);
  }

  private static KernelMonitoring kernelView(JobContext context) {
    return new KernelMonitoring(context.env().warehouse(), DB, new Configuration());
  }

  /** Each row's values of {@code columns}, by column, to compare rows of the two readers. */
  private static List<Map<String, Object>> values(List<TableRow> rows, List<String> columns) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TableRow row : rows) {
      Map<String, Object> values = new LinkedHashMap<>();
      columns.forEach(c -> values.put(c, row.get(c)));
      out.add(values);
    }
    return out;
  }

  /** One prediction row of {@code model}, appended in a commit of its own. */
  private static void predictions(String model, Timestamp scoredAt, Timestamp validUntil) {
    StructType schema =
        new StructType()
            .add("id", DataTypes.LongType)
            .add("prediction", DataTypes.DoubleType)
            .add("model_name", DataTypes.StringType)
            .add("model_version", DataTypes.IntegerType)
            .add("score_date", DataTypes.DateType)
            .add("scored_at", DataTypes.TimestampType)
            .add("valid_until", DataTypes.TimestampType);
    Row row = RowFactory.create(1L, 0.5, model, 1, Date.valueOf(D1), scoredAt, validUntil);
    TestSpark.session()
        .createDataFrame(List.of(row), schema)
        .write()
        .format("delta")
        .mode("append")
        .partitionBy("score_date")
        .save(location(OUTPUT));
  }

  private static Row run(
      String job, LocalDate date, Timestamp started, Integer seconds, String status) {
    Timestamp finished =
        seconds == null ? null : new Timestamp(started.getTime() + seconds * 1000L);
    return RowFactory.create(
        UUID.randomUUID().toString(),
        job,
        MODEL,
        date == null ? null : Date.valueOf(date),
        started,
        finished,
        RunStatus.fromSql(status).sqlName(),
        status.equals("failed") ? "injected failure" : null,
        List.of(),
        null);
  }

  private static void append(JobContext context, List<Row> runs) {
    context
        .spark()
        .createDataFrame(runs, RunLog.SCHEMA)
        .write()
        .format("delta")
        .mode("append")
        .save(location(RunLog.TABLE));
  }

  private static Timestamp ago(Timestamp now, long seconds) {
    return new Timestamp(now.getTime() - seconds * 1000);
  }

  private static String location(String table) {
    return context.warehouse().location(new TableName(DB, table));
  }
}
