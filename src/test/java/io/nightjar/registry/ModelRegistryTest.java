package io.nightjar.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
  @TempDir static Path dir;
  static JobContext context;
  static ModelRegistry registry;

  @BeforeAll
  static void setUp() {
    context = TestSpark.context(dir, "registry_test");
    registry = context.registry();
  }

  static ModelVersion draft(String model) {
    return new ModelVersion(
        model, 0, UUID.randomUUID().toString(), Timestamp.from(Instant.now().truncatedTo(ChronoUnit.MICROS)),
        Date.valueOf("2024-01-01"), "tester", "regression", "linear", null, "squared", null, Map.of("reg_param", "0"),
        List.of("x"), List.of(), "id", "y", null, "db.t", 3L, 10, 2, "rmse", 1.0, 0.1, Map.of("rmse", 1.1), 1.0, 2.0,
        false, "/tmp/a", Map.of("spark", "3.5.4"), "name: " + model, "sha");
  }

  @Test
  void anEmptyWarehouseKnowsNoModels() {
    JobContext fresh = TestSpark.context(dir.resolve("fresh"), "registry_fresh");
    assertThat(fresh.registry().models()).isEmpty();
    assertThat(fresh.registry().alias("ghost", RegistryTables.PRODUCTION)).isEmpty();
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
    assertThat(stored).extracting(ModelVersion::runId)
        .containsExactlyInAnyOrderElementsOf(drafts.stream().map(ModelVersion::runId).toList());
    ModelVersion first = stored.get(0);
    assertThat(first.withVersion(0)).isIn(drafts);
  }

  @Test
  void aliasesMoveAndEventsAccumulate() {
    context.ensureTables();
    int version = registry.register(draft("moving"));
    registry.setAliases("moving", Map.of(RegistryTables.PRODUCTION, version, RegistryTables.CANDIDATE, version));
    int second = registry.register(draft("moving"));
    registry.setAlias("moving", RegistryTables.CANDIDATE, second);
    assertThat(registry.aliases("moving"))
        .isEqualTo(Map.of(RegistryTables.PRODUCTION, 1, RegistryTables.CANDIDATE, 2));
    Timestamp at = Timestamp.from(Instant.now());
    registry.record(new ModelEvent("moving", 1, ModelEvent.REGISTERED, null, "a", "trained", at, Map.of(), null));
    assertThat(registry.hasEvent("moving", 1, ModelEvent.REGISTERED)).isTrue();
    assertThat(registry.hasEvent("moving", 2, ModelEvent.REGISTERED)).isFalse();
  }
}
