package io.nightjar.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Metric;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ModelRegistryTest {
  @TempDir static Path dir;
  static JobContext context;
  static ModelRegistry registry;

  @BeforeAll
  static void setUp() {
    context = TestSpark.context(dir, "registry_test");
    registry = context.registry();
  }

  /**
   * A version of a training of its own (a spec hash of its own), so that registering it adds a
   * version.
   */
  static ModelVersion draft(String model) {
    return draft(model, "sha-" + UUID.randomUUID());
  }

  /** A run's version of the training of spec {@code sha} on 2024-01-01 from data version 3. */
  public static ModelVersion draft(String model, String sha) {
    return new ModelVersion(
        model,
        0,
        new Provenance(
            UUID.randomUUID().toString(),
            Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)),
            Date.valueOf("2024-01-01"),
            "tester"),
        new Recipe(
            Task.REGRESSION, Family.LINEAR, null, Loss.SQUARED, null, Map.of("reg_param", "0")),
        new FeatureSchema(List.of("x"), List.of(), "id", "y", null),
        new TrainingData("db.t", 3L, 10, 2),
        new Evaluation(Metric.RMSE, 1.0, 0.1, Map.of("rmse", 1.1)),
        new TrainingCost(1.0, 2.0, false),
        new Artifact("/tmp/a", Map.of("spark", "3.5.4"), "name: " + model, sha));
  }

  @Test
  void aVersionIsOneRowOfTheTableInColumnOrderWithSpecSpellings() {
    ModelVersion draft = draft("columns", "sha-c");
    Map<String, Object> columns = ModelVersionsTable.columns(draft);
    assertThat(columns.keySet()).containsExactly(ModelVersionsTable.SCHEMA.fieldNames());
    assertThat(columns)
        .containsEntry("task", "regression")
        .containsEntry("family", "linear")
        .containsEntry("engine", null)
        .containsEntry("loss", "squared")
        .containsEntry("cv_metric", "rmse")
        .containsEntry("training_data_version", 3L)
        .containsEntry("artifact_uri", "/tmp/a")
        .containsEntry("spec_sha256", "sha-c");
    Row stored =
        context
            .spark()
            .createDataFrame(List.of(ModelVersionsTable.toRow(draft)), ModelVersionsTable.SCHEMA)
            .first();
    assertThat(ModelVersionsTable.fromRow(new SparkTableRow(stored))).isEqualTo(draft);
  }

  @Test
  void anEmptyWarehouseKnowsNoModels() {
    JobContext fresh = TestSpark.context(dir.resolve("fresh"), "registry_fresh");
    assertThat(fresh.registry().models()).isEmpty();
    assertThat(fresh.registry().alias("ghost", ModelAliasesTable.PRODUCTION)).isEmpty();
    assertThatThrownBy(() -> fresh.registry().require("ghost", 1))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Unknown model 'ghost': it has no registered versions.");
  }

  @Test
  void fourConcurrentRegistrationsGetVersionsOneToFour() throws Exception {
    context.ensureTables();
    List<ModelVersion> drafts = List.of(draft("busy"), draft("busy"), draft("busy"), draft("busy"));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Integer>> versions = new ArrayList<>();
    try {
      for (ModelVersion d : drafts) {
        versions.add(pool.submit(() -> registry.register(d)));
      }
      List<Integer> numbers = new ArrayList<>();
      for (Future<Integer> v : versions) {
        numbers.add(v.get());
      }
      assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4);
    } finally {
      pool.shutdownNow();
    }
    List<ModelVersion> stored = registry.versions("busy");
    assertThat(stored).extracting(ModelVersion::version).containsExactly(1, 2, 3, 4);
    assertThat(stored)
        .extracting(v -> v.provenance().runId())
        .containsExactlyInAnyOrderElementsOf(
            drafts.stream().map(v -> v.provenance().runId()).toList());
    ModelVersion first = stored.get(0);
    assertThat(first.withVersion(0)).isIn(drafts);
  }

  @Test
  void concurrentRegistrationsOfOneTrainingGetOneVersion() throws Exception {
    context.ensureTables();
    registry.register(draft("retried"));
    // Three runs of one training (same date, spec and data version: a retry started while the first
    // still ran).
    List<ModelVersion> runs =
        List.of(draft("retried", "same"), draft("retried", "same"), draft("retried", "same"));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Integer> numbers = new ArrayList<>();
    try {
      List<Future<Integer>> versions = new ArrayList<>();
      for (ModelVersion run : runs) {
        versions.add(pool.submit(() -> registry.register(run)));
      }
      for (Future<Integer> v : versions) {
        numbers.add(v.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(numbers).containsOnly(2);
    List<ModelVersion> stored = registry.versions("retried");
    assertThat(stored).extracting(ModelVersion::version).containsExactly(1, 2);
    assertThat(stored.get(1).provenance().runId())
        .isIn(runs.stream().map(v -> v.provenance().runId()).toList());
  }

  @Test
  void aliasesFollowTheHistoryAndRollbackWalksBackThroughPromotions() {
    context.ensureTables();
    for (int i = 0; i < 3; i++) {
      registry.register(draft("moving"));
    }
    registry.commit(
        "moving",
        h -> List.of(event(1, EventKind.REGISTERED, null), event(1, EventKind.PROMOTED, null)));
    registry.commit("moving", h -> List.of(event(2, EventKind.REGISTERED, null)));
    assertThat(registry.aliases("moving"))
        .isEqualTo(Map.of(ModelAliasesTable.PRODUCTION, 1, ModelAliasesTable.CANDIDATE, 2));
    registry.commit("moving", h -> List.of(event(2, EventKind.PROMOTED, 1)));
    registry.commit("moving", h -> List.of(event(3, EventKind.REGISTERED, null)));
    registry.commit("moving", h -> List.of(event(3, EventKind.PROMOTED, 2)));
    ModelHistory history = registry.history("moving");
    assertThat(history.productionStack()).containsExactly(1, 2, 3);
    assertThat(history.lastCommit()).isEqualTo(5);
    registry.commit(
        "moving",
        h -> List.of(event(h.previousProduction().orElseThrow(), EventKind.ROLLED_BACK, 3)));
    assertThat(registry.alias("moving", ModelAliasesTable.PRODUCTION)).contains(2);
    registry.commit(
        "moving",
        h -> List.of(event(h.previousProduction().orElseThrow(), EventKind.ROLLED_BACK, 2)));
    assertThat(registry.aliases("moving"))
        .isEqualTo(Map.of(ModelAliasesTable.PRODUCTION, 1, ModelAliasesTable.CANDIDATE, 3));
    assertThat(registry.history("moving").previousProduction()).isEmpty();
  }

  @Test
  void concurrentCommitsDecidedOnTheSameHistoryLandOneAtATime() throws Exception {
    context.ensureTables();
    registry.register(draft("racing"));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<ModelHistory>> commits = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        // Each decision depends on the history it saw: promote only when nothing is in production
        // yet.
        commits.add(
            pool.submit(
                () ->
                    registry.commit(
                        "racing",
                        h ->
                            h.production().isPresent()
                                ? List.of()
                                : List.of(event("racing", 1, EventKind.PROMOTED, null)))));
      }
      for (Future<ModelHistory> commit : commits) {
        commit.get();
      }
    } finally {
      pool.shutdownNow();
    }
    ModelHistory history = registry.history("racing");
    assertThat(history.events()).extracting(ModelEvent::event).containsExactly(EventKind.PROMOTED);
    assertThat(history.lastCommit()).isEqualTo(1);
    assertThat(registry.alias("racing", ModelAliasesTable.PRODUCTION)).contains(1);
  }

  private static ModelEvent event(int version, EventKind event, Integer previous) {
    return event("moving", version, event, previous);
  }

  private static ModelEvent event(String model, int version, EventKind event, Integer previous) {
    return new ModelEvent(
        model,
        version,
        event,
        previous,
        "tester",
        "test",
        Timestamp.from(Instant.now()),
        Map.of(),
        null);
  }
}
