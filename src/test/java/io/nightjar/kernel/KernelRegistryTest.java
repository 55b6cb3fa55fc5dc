package io.nightjar.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelEventsTable;
import io.nightjar.registry.ModelRegistry;
import io.nightjar.registry.ModelRegistryTest;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.registry.RegistryView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delta Kernel's registry answers equal Spark's on the same tables. */
class KernelRegistryTest {
  @TempDir static Path dir;

  private static KernelRegistry kernel(JobContext context) {
    return new KernelRegistry(
        context.env().warehouse(), context.env().database(), new Configuration());
  }

  /** The registry read through Spark queries; a job's own registry reads with Kernel. */
  private static ModelRegistry sparkRead(JobContext context) {
    return new ModelRegistry(context.warehouse(), context.env().database());
  }

  @Test
  void aWarehouseWithoutRegistryTablesReadsAsEmptyBothWays() {
    JobContext context = TestSpark.context(dir.resolve("empty"), "kernel_empty");
    KernelRegistry kernel = kernel(context);
    assertThat(kernel.tablesExist()).isFalse().isEqualTo(sparkRead(context).tablesExist());
    assertThat(kernel.models()).isEmpty();
    assertThat(kernel.aliases("ghost")).isEmpty();
    assertThat(kernel.history("ghost").events()).isEmpty();
    assertThatThrownBy(() -> kernel.require("ghost", 1))
        .hasMessage(catchMessage(() -> sparkRead(context).require("ghost", 1)))
        .hasMessageContaining("ghost");
  }

  @Test
  void answersEqualSparkAfterConcurrentCommitsAndCheckpoints() throws Exception {
    JobContext context = TestSpark.context(dir.resolve("busy"), "kernel_busy");
    context.ensureTables();
    // The job's registry: writes through Spark, decisions on Kernel reads.
    ModelRegistry registry = context.registry();
    ModelRegistry spark = sparkRead(context);
    // A checkpoint every 3 commits, so that Kernel reads checkpoint and later JSON commits.
    for (String table :
        List.of(ModelVersionsTable.NAME, ModelAliasesTable.NAME, ModelEventsTable.NAME)) {
      context
          .spark()
          .sql(
              "ALTER TABLE delta."
                  + Identifiers.quote(location(context, table))
                  + " SET TBLPROPERTIES ('delta.checkpointInterval' = '3')");
    }
    assertSameAnswers(spark, kernel(context), List.of("alpha", "beta"));

    // Registrations and alias moves of two models from four threads at once: three versions each
    // are enough for the versions and events tables to pass a checkpoint, and each commit costs
    // seconds.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String model = i % 2 == 0 ? "alpha" : "beta";
        done.add(
            pool.submit(
                () -> {
                  int version =
                      registry.register(ModelRegistryTest.draft(model, "sha-" + UUID.randomUUID()));
                  registry.commit(
                      model,
                      h ->
                          List.of(
                              event(model, version, EventKind.REGISTERED, null),
                              event(
                                  model,
                                  version,
                                  EventKind.PROMOTED,
                                  h.production().orElse(null))));
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    registry.commit("alpha", h -> List.of(event("alpha", 2, EventKind.ROLLED_BACK, 3)));

    for (String table : List.of(ModelVersionsTable.NAME, ModelEventsTable.NAME)) {
      assertThat(checkpoints(context, table)).as("checkpoints of " + table).isNotEmpty();
    }
    KernelRegistry kernel = kernel(context);
    assertThat(kernel.versions("alpha")).hasSize(3);
    assertThat(kernel.history("alpha").events()).hasSize(7);
    assertSameAnswers(spark, kernel, List.of("alpha", "beta", "ghost"));
    assertSameAnswers(spark, registry, List.of("alpha", "beta", "ghost"));
    // Each registration above is its own training: none is found as another's rerun.
    ModelVersion second = spark.require("alpha", 2);
    Date date = second.provenance().logicalDate();
    String sha = second.artifact().specSha256();
    Long data = second.trainingData().deltaVersion();
    assertThat(kernel.findSameTraining("alpha", date, sha, data))
        .contains(second)
        .isEqualTo(spark.findSameTraining("alpha", date, sha, data));
    assertThat(kernel.findSameTraining("alpha", date, "other-sha", data))
        .isEmpty()
        .isEqualTo(spark.findSameTraining("alpha", date, "other-sha", data));
    assertThat(kernel.findSameTraining("alpha", date, sha, data == null ? 7L : null))
        .isEmpty()
        .isEqualTo(spark.findSameTraining("alpha", date, sha, data == null ? 7L : null));
  }

  private static void assertSameAnswers(
      RegistryView spark, RegistryView kernel, List<String> models) {
    assertThat(kernel.tablesExist()).isEqualTo(spark.tablesExist());
    assertThat(kernel.models()).isEqualTo(spark.models());
    for (String model : models) {
      assertThat(kernel.versions(model)).as(model).isEqualTo(spark.versions(model));
      assertThat(kernel.latestVersion(model)).as(model).isEqualTo(spark.latestVersion(model));
      assertThat(kernel.aliases(model)).as(model).isEqualTo(spark.aliases(model));
      assertThat(List.copyOf(kernel.aliases(model).keySet()))
          .isEqualTo(List.copyOf(spark.aliases(model).keySet()));
      assertThat(kernel.history(model).events()).as(model).isEqualTo(spark.history(model).events());
      assertThat(kernel.history(model).lastCommit()).isEqualTo(spark.history(model).lastCommit());
      assertThat(kernel.find(model, 2)).isEqualTo(spark.find(model, 2));
      assertThat(catchMessage(() -> kernel.require(model, 99)))
          .isEqualTo(catchMessage(() -> spark.require(model, 99)));
    }
  }

  private static ModelEvent event(String model, int version, EventKind kind, Integer previous) {
    return new ModelEvent(
        model,
        version,
        kind,
        previous,
        "tester",
        kind.sqlName(),
        Timestamp.from(Instant.now()),
        Map.of("rmse", 1.5),
        null);
  }

  private static String location(JobContext context, String table) {
    return context.warehouse().location(new TableName(context.env().database(), table));
  }

  private static List<Path> checkpoints(JobContext context, String table) throws IOException {
    try (Stream<Path> files = Files.list(Path.of(location(context, table), "_delta_log"))) {
      return files.filter(f -> f.getFileName().toString().contains(".checkpoint.")).toList();
    }
  }

  private static String catchMessage(Runnable call) {
    try {
      call.run();
      return null;
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
