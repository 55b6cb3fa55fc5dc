package io.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.RegistryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The life of one model: a weak first version, a better candidate the gate promotes, a weak
 * candidate it rejects, an explicit promotion, two rollbacks, and reproducing versions before and
 * after the training table changed. The tests run in order because each builds on the registry the
 * previous one left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelLifecycleTest {
  private static final String DB = "lifecycle_test";
  private static final String MODEL = "prices";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 30);

  @TempDir static Path dir;
  static JobContext context;
  static TableName sales = new TableName(DB, "sales");

  @BeforeAll
  static void setUp() {
    context = TestSpark.contextWithDatabase(dir, DB);
    write(DemoData.regression(context.spark(), 0, 800, 1, DAY), "overwrite");
  }

  private static void write(Dataset<Row> rows, String mode) {
    rows.write().format("delta").mode(mode).save(context.warehouse().location(sales));
    context.warehouse().register(sales);
  }

  /**
   * Friedman #1 is far from linear: a boosted-tree candidate beats a linear one on the same
   * holdout.
   */
  private static ModelSpec spec(String candidate) {
    String yaml =
        TestSpecs.demoRegressionYaml(MODEL, sales.toString())
            + """
            candidates:
              - %s
            tuning: {folds: 2, metric: rmse, holdout: 0.25, seed: 11}
            promotion: {min_improvement: 0.01}
            """
                .formatted(candidate);
    return TestSpecs.parse(yaml, DB);
  }

  private static final String LINEAR = "{family: linear, loss: squared, grid: {reg_param: [0.0]}}";
  private static final String LINEAR_RIDGE =
      "{family: linear, loss: squared, grid: {reg_param: [1.0]}}";
  private static final String TREES =
      "{family: gbt, loss: squared, grid: {num_trees: [60], max_depth: [3]}}";

  private static ModelHistory history() {
    return context.registry().history(MODEL);
  }

  private static Integer production() {
    return context.registry().alias(MODEL, ModelAliasesTable.PRODUCTION).orElse(null);
  }

  @Test
  @Order(1)
  void theGatePromotesACandidateThatBeatsProduction() {
    new TrainJob(context).run(spec(LINEAR), DAY);
    new TrainJob(context).run(spec(TREES), DAY);
    assertThat(production()).isEqualTo(1);
    assertThat(context.registry().alias(MODEL, ModelAliasesTable.CANDIDATE)).contains(2);

    PromoteJob.Outcome outcome = new PromoteJob(context).run(MODEL, null, null, DAY);

    assertThat(outcome.promoted()).isTrue();
    assertThat(outcome.previous()).isEqualTo(1);
    assertThat(outcome.comparison().candidate())
        .isLessThan(outcome.comparison().production() * 0.99);
    // The gate scored the candidate on its own holdout rows: the same RMSE as recorded at training.
    double recorded =
        context.registry().require(MODEL, 2).evaluation().holdoutMetrics().get("rmse");
    assertThat(outcome.comparison().candidate()).isCloseTo(recorded, within(1e-9));
    assertThat(production()).isEqualTo(2);
  }

  @Test
  @Order(2)
  void theGateRejectsAWorseCandidateAndRecordsBothMetrics() {
    new TrainJob(context).run(spec(LINEAR_RIDGE), DAY);

    PromoteJob.Outcome outcome = new PromoteJob(context).run(MODEL, null, null, DAY);

    assertThat(outcome.event()).isEqualTo(EventKind.REJECTED);
    assertThat(production()).isEqualTo(2);
    ModelEvent rejected = history().events().get(history().events().size() - 1);
    assertThat(rejected.event()).isEqualTo(EventKind.REJECTED);
    assertThat(rejected.version()).isEqualTo(3);
    assertThat(rejected.previousVersion()).isEqualTo(2);
    assertThat(rejected.metrics()).containsKeys("candidate_rmse", "production_rmse", "improvement");
    assertThat(rejected.metrics().get("candidate_rmse"))
        .isGreaterThan(rejected.metrics().get("production_rmse"));
    assertThat(rejected.reason()).startsWith("lost the gate: rmse");
  }

  @Test
  @Order(3)
  void runningTheGateAgainReturnsTheRecordedDecision() {
    int events = history().events().size();

    PromoteJob.Outcome again = new PromoteJob(context).run(MODEL, null, null, DAY);

    assertThat(again.decidedEarlier()).isTrue();
    assertThat(again.event()).isEqualTo(EventKind.REJECTED);
    assertThat(history().events()).hasSize(events);
  }

  @Test
  @Order(4)
  void anExplicitPromotionThenTwoRollbacksWalkBackThroughHistory() {
    PromoteJob.Outcome forced = new PromoteJob(context).run(MODEL, 3, "ridge for the audit", DAY);
    assertThat(forced.promoted()).isTrue();
    assertThat(production()).isEqualTo(3);

    assertThat(new RollbackJob(context).run(MODEL, "audit done", DAY).version()).isEqualTo(2);
    assertThat(production()).isEqualTo(2);
    assertThat(new RollbackJob(context).run(MODEL, null, DAY).version()).isEqualTo(1);
    assertThat(production()).isEqualTo(1);
    assertThatThrownBy(() -> new RollbackJob(context).run(MODEL, null, DAY))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "Cannot roll back model 'prices': version 1 is the first version that held production, so there is none"
                + " before it; promote a version with 'promote --version N'.");

    List<String> story =
        history().events().stream()
            .map(
                e ->
                    e.event().sqlName()
                        + " "
                        + e.version()
                        + (e.previousVersion() == null ? "" : " from " + e.previousVersion()))
            .toList();
    assertThat(story)
        .containsExactly(
            "registered 1",
            "promoted 1",
            "registered 2",
            "promoted 2 from 1",
            "registered 3",
            "rejected 3 from 2",
            "promoted 3 from 2",
            "rolled_back 2 from 3",
            "rolled_back 1 from 2");
    assertThat(history().events().get(6).reason()).isEqualTo("ridge for the audit");
    assertThat(context.registry().aliases(MODEL))
        .isEqualTo(Map.of(ModelAliasesTable.PRODUCTION, 1, ModelAliasesTable.CANDIDATE, 3));
  }

  @Test
  @Order(5)
  void unknownModelsAndVersionsAreRefused() {
    assertThatThrownBy(() -> new PromoteJob(context).run("ghost", null, null, DAY))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Unknown model 'ghost': it has no registered versions.");
    assertThatThrownBy(() -> new PromoteJob(context).run(MODEL, 9, null, DAY))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Unknown version 9 of model 'prices': its versions are 1 to 3.");
    assertThatThrownBy(() -> new RollbackJob(context).run("ghost", null, DAY))
        .isInstanceOf(RegistryException.class)
        .hasMessage("Unknown model 'ghost': it has no registered versions.");
  }

  @Test
  @Order(6)
  void reproducingAVersionGivesItsMetricsAgainEvenAfterTheTableChanged() {
    ReproduceJob.Outcome before = new ReproduceJob(context).run(MODEL, 2, DAY);
    assertThat(before.dataPinned()).isTrue();
    before
        .differences()
        .forEach(
            (metric, difference) -> assertThat(difference).as(metric).isCloseTo(0.0, within(1e-9)));

    write(DemoData.regression(context.spark(), 800, 400, 5, DAY), "append");
    ReproduceJob.Outcome after = new ReproduceJob(context).run(MODEL, 1, DAY);

    assertThat(after.trainingRows())
        .isEqualTo(context.registry().require(MODEL, 1).trainingData().rows());
    after
        .differences()
        .forEach(
            (metric, difference) -> assertThat(difference).as(metric).isCloseTo(0.0, within(1e-9)));
  }

  @Test
  @Order(7)
  void aMissingOrCorruptArtifactIsAClearErrorNamingModelVersionAndUri() throws Exception {
    var version = context.registry().require(MODEL, 3);
    Path pipeline = Path.of(version.artifact().uri()).resolve("pipeline");
    Path metadata = pipeline.resolve("metadata").resolve("part-00000");
    Files.writeString(metadata, "not json");
    assertThatThrownBy(() -> new PromoteJob(context).run(MODEL, null, null, DAY).comparison())
        .isInstanceOf(RegistryException.class)
        .hasMessageStartingWith(
            "Cannot load model 'prices' version 3: its artifact '"
                + version.artifact().uri()
                + "' is unreadable (");

    FileUtils.deleteDirectory(pipeline.toFile());
    assertThatThrownBy(() -> context.artifacts().load(version))
        .isInstanceOf(RegistryException.class)
        .hasMessage(
            "Cannot load model 'prices' version 3: its artifact '"
                + version.artifact().uri()
                + "' is missing.");
  }
}
