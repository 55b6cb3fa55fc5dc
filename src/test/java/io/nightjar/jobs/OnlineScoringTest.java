package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightjar.TestClock;
import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.DemoData;
import io.nightjar.families.ModelFamilies;
import io.nightjar.kernel.KernelPointReader;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.AnswerCache;
import io.nightjar.lookup.CacheRefresher;
import io.nightjar.lookup.FeatureCache;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.LoadedModels;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.PredictionSource;
import io.nightjar.lookup.ServedModel;
import io.nightjar.lookup.ServedPrediction;
import io.nightjar.lookup.ServerOptions;
import io.nightjar.lookup.ServingException;
import io.nightjar.lookup.ServingMetrics;
import io.nightjar.model.Predictions;
import io.nightjar.online.UnsupportedStageException;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryView;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-demand scoring against a real warehouse: two trained versions of a small linear model, its
 * features table, and the batch score of production as the reference answers. The tests run in
 * order because promote and rollback change the registry they all read.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnlineScoringTest {
  private static final String DB = "online_scoring_test";
  private static final String MODEL = "online_model";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 30);
  private static final double PARITY = 1e-9;

  @TempDir static Path dir;
  static JobContext context;
  static SparkSession spark;
  static ModelSpec spec;
  static TestClock clock;
  static OnlineScoring online;

  @BeforeAll
  static void trainTwoVersions() {
    context = TestSpark.contextWithDatabase(dir, DB);
    spark = context.spark();
    write("sales", DemoData.regression(spark, 0, 400, 1, DAY));
    write("entities", DemoData.entities(spark, 0, 40, 2));
    spec = spec("0.1");
    new TrainJob(context).run(spec, DAY);
    // Another regularisation: a second version whose answers differ from the first's.
    new TrainJob(context).run(spec("0.0"), DAY);
    new ScoreJob(context).run(spec, 1, DAY);
    clock = new TestClock(Instant.now());
    online = online(ModelFamilies::rowScorer, 1L << 30, () -> KernelRegistry.open(context.env()));
    online.refresh();
  }

  @AfterAll
  static void stop() {
    online.close();
  }

  private static ModelSpec spec(String regParam) {
    return TestSpecs.parse(
        TestSpecs.regressionYaml(MODEL, DB + ".sales", DB + ".entities", "predictions_online")
                .replace("reg_param: [0.0, 0.1]", "reg_param: [" + regParam + "]")
            + "serving: {cache_ttl: 1h}\n",
        DB);
  }

  private static void write(String name, Dataset<Row> rows) {
    TableName table = new TableName(DB, name);
    rows.write().format("delta").mode("overwrite").save(context.warehouse().location(table));
    context.warehouse().register(table);
  }

  private static OnlineScoring online(
      OnlineScoring.Compiler compiler, long featuresMemory, Supplier<RegistryView> registry) {
    return new OnlineScoring(
        MODEL,
        spec.serving(),
        "id",
        registry,
        context.artifacts(),
        compiler,
        new FeatureCache(
            spark,
            MODEL,
            spec.serving().features(),
            "id",
            "event_time",
            featuresMemory,
            KernelVersions.withHadoop(spark.sparkContext().hadoopConfiguration()),
            KernelPointReader.withHadoop(spark.sparkContext().hadoopConfiguration()),
            1_000),
        new AnswerCache(1_000, clock),
        new PrintWriter(Writer.nullWriter()));
  }

  /** The batch prediction of {@code id} in the prediction table's current view. */
  private static double batch(long id) {
    return spark
        .table(DB + ".predictions_online_current")
        .where(col("id").equalTo(id))
        .select("prediction")
        .first()
        .getDouble(0);
  }

  @Test
  @Order(1)
  void anEntityScoredOnDemandGetsTheBatchScoreOfProduction() {
    for (long id : new long[] {0, 13, 39}) {
      ServedPrediction served = online.scoreEntity(id);
      assertThat(served.source()).isEqualTo(PredictionSource.ONLINE);
      assertThat(served.prediction().prediction()).isCloseTo(batch(id), within(PARITY));
      assertThat(served.prediction().modelVersion()).isEqualTo(1);
      assertThat(served.prediction().scoredAt()).isEqualTo(clock.instant());
      assertThat(served.prediction().validUntil())
          .isEqualTo(clock.instant().plus(Duration.ofHours(1)));
      assertThat(served.prediction().freshAt(clock.instant())).isTrue();

      ServedPrediction again = online.findCached(id).orElseThrow();
      assertThat(again.source()).isEqualTo(PredictionSource.CACHE);
      assertThat(again.prediction()).isEqualTo(served.prediction());
      assertThat(online.scoreEntity(id).source()).isEqualTo(PredictionSource.CACHE);
    }
    assertThat(online.problems()).isEmpty();
    assertThat(online.scoresMissing()).isTrue();
    assertThat(online.scoresStale()).isFalse();
  }

  @Test
  @Order(2)
  void anUnknownIdOrVersionIsNotFoundByName() {
    assertThatThrownBy(() -> online.scoreEntity(999L))
        .isInstanceOf(ServingException.class)
        .hasMessage(
            "Unknown id '999' for model 'online_model': online_scoring_test.entities"
                + " (serving.features) has no row for it.")
        .extracting(e -> ((ServingException) e).status())
        .isEqualTo(404);
    assertThatThrownBy(() -> online.scoreEntity(9, 1L))
        .hasMessage("Unknown version 9 of model 'online_model': its versions are 1 to 2.")
        .extracting(e -> ((ServingException) e).status())
        .isEqualTo(404);
  }

  @Test
  @Order(3)
  void aCachedAnswerExpiresAtItsValidUntil() {
    Instant scored = online.scoreEntity(5L).prediction().scoredAt();
    clock.advance(Duration.ofMinutes(59));
    assertThat(online.findCached(5L)).isPresent();
    clock.advance(Duration.ofMinutes(1));
    assertThat(online.findCached(5L)).isEmpty();
    ServedPrediction rescored = online.scoreEntity(5L);
    assertThat(rescored.source()).isEqualTo(PredictionSource.ONLINE);
    assertThat(rescored.prediction().scoredAt()).isEqualTo(scored.plus(Duration.ofHours(1)));
  }

  @Test
  @Order(4)
  void bodyRowsAreScoredLikeTheSameEntityAndBadRowsAreNamed() {
    Row entity = spark.table(DB + ".entities").where(col("id").equalTo(7L)).first();
    Map<String, Object> body = new HashMap<>();
    for (String field : entity.schema().fieldNames()) {
      body.put(field, entity.getAs(field));
    }
    List<ServedPrediction> scored = online.scoreRows(List.of(body));
    assertThat(scored.get(0).source()).isEqualTo(PredictionSource.ONLINE);
    assertThat(scored.get(0).prediction().id()).isEqualTo(7L);
    assertThat(scored.get(0).prediction().prediction()).isCloseTo(batch(7), within(PARITY));

    Map<String, Object> unknown = new HashMap<>(body);
    unknown.put("colour", "red");
    assertThatThrownBy(() -> online.scoreRows(List.of(body, unknown)))
        .isInstanceOf(ServingException.class)
        .hasMessageStartingWith(
            "Invalid row 1: unknown feature 'colour'. Valid features of model 'online_model'"
                + " version 1: x1, x2,")
        .hasMessageEndingWith("(and the id column 'id').");
    Map<String, Object> text = new HashMap<>(body);
    text.put("x3", "high");
    assertThatThrownBy(() -> online.scoreRows(List.of(text)))
        .hasMessageStartingWith("Invalid row 0, feature 'x3': Invalid value for feature 'x3':")
        .extracting(e -> ((ServingException) e).status())
        .isEqualTo(400);
    Map<String, Object> forgotten = new HashMap<>(body);
    forgotten.remove("x2");
    assertThatThrownBy(() -> online.scoreRows(List.of(forgotten)))
        .hasMessageStartingWith(
            "Invalid row 0: feature 'x2' is missing. Give every feature of model 'online_model'"
                + " version 1 (x1, x2,")
        .hasMessageEndingWith("with null for a missing value.");
    Map<String, Object> explicitNull = new HashMap<>(body);
    explicitNull.put("x2", null);
    assertThat(online.scoreRows(List.of(explicitNull)).get(0).source())
        .isEqualTo(PredictionSource.ONLINE);
  }

  @Test
  @Order(5)
  void theCandidateIsPreloadedAndScoresByVersion() {
    ServedPrediction candidate = online.scoreEntity(2, 3L);
    assertThat(candidate.prediction().modelVersion()).isEqualTo(2);
    assertThat(candidate.prediction().prediction()).isNotCloseTo(batch(3), within(PARITY));
  }

  @Test
  @Order(6)
  void aPromoteSwitchesProductionAndItsCachedAnswersAreNotServed() {
    double first = online.scoreEntity(11L).prediction().prediction();
    assertThat(online.findCached(11L)).isPresent();

    new PromoteJob(context).run(MODEL, 2, "online test", DAY);
    online.refresh();

    assertThat(online.findCached(11L)).isEmpty();
    ServedPrediction promoted = online.scoreEntity(11L);
    assertThat(promoted.source()).isEqualTo(PredictionSource.ONLINE);
    assertThat(promoted.prediction().modelVersion()).isEqualTo(2);
    assertThat(promoted.prediction().prediction()).isNotCloseTo(first, within(PARITY));
  }

  @Test
  @Order(7)
  void aRollbackSwitchesBack() {
    new RollbackJob(context).run(MODEL, "online test", DAY);
    online.refresh();

    assertThat(online.findCached(11L)).isEmpty();
    ServedPrediction back = online.scoreEntity(11L);
    assertThat(back.prediction().modelVersion()).isEqualTo(1);
    assertThat(back.prediction().prediction()).isCloseTo(batch(11), within(PARITY));
  }

  @Test
  @Order(8)
  void aVersionThatIsNotLoadedIsLoadingThenScores() throws Exception {
    try (OnlineScoring productionOnly =
        online(
            ModelFamilies::rowScorer,
            1L << 30,
            () -> new ProductionOnly(KernelRegistry.open(context.env())))) {
      productionOnly.refresh();

      assertThatThrownBy(() -> productionOnly.scoreEntity(2, 3L))
          .isInstanceOf(ServingException.class)
          .hasMessage(
              "Cannot score model 'online_model' version 2 yet: it is loading; retry in 5 s.")
          .satisfies(
              e -> {
                assertThat(((ServingException) e).status()).isEqualTo(503);
                assertThat(((ServingException) e).retryAfterSeconds()).isEqualTo(5);
              });
      productionOnly.awaitBackgroundWork();
      assertThat(productionOnly.scoreEntity(2, 3L).prediction().modelVersion()).isEqualTo(2);
    }
  }

  @Test
  @Order(9)
  void newFeaturesInvalidateAnswersAndAreScoredAsBatchWouldScoreThem() {
    double before = online.scoreEntity(20L).prediction().prediction();
    write("entities", DemoData.entities(spark, 0, 40, 3));

    online.refresh();

    assertThat(online.findCached(20L)).isEmpty();
    ServedPrediction after = online.scoreEntity(20L);
    // The batch score of the new rows, as ScoreJob computes it (without writing a table).
    double batch =
        Predictions.predict(
                context.artifacts().load(context.registry().require(MODEL, 1)),
                Task.REGRESSION,
                spark.table(DB + ".entities").where(col("id").equalTo(20L)))
            .select(Columns.PREDICTION)
            .first()
            .getDouble(0);
    assertThat(after.prediction().prediction())
        .isNotCloseTo(before, within(PARITY))
        .isCloseTo(batch, within(PARITY));
  }

  @Test
  @Order(10)
  void beforeTheFirstRegistryReadEveryRequestIsAskedToComeBack() {
    try (OnlineScoring starting =
        online(ModelFamilies::rowScorer, 1L << 30, () -> KernelRegistry.open(context.env()))) {
      String reason =
          "Cannot score model 'online_model' on demand yet: serve is still reading its versions"
              + " and features; retry in 5 s.";
      assertThatThrownBy(() -> starting.scoreEntity(1L))
          .isInstanceOf(ServingException.class)
          .hasMessage(reason)
          .extracting(e -> ((ServingException) e).status())
          .isEqualTo(503);
      assertThatThrownBy(() -> starting.scoreEntity(1, 1L)).hasMessage(reason);
      assertThatThrownBy(() -> starting.scoreRows(List.of(Map.of()))).hasMessage(reason);
    }
  }

  @Test
  @Order(10)
  void aStageTheCompilerRefusesIsAProblemAndEveryAnswerSaysIt() {
    OnlineScoring.Compiler refusing =
        (pipeline, task, schema) -> {
          throw new UnsupportedStageException("Cannot compile stage Tokenizer (uid tok_1).");
        };
    try (OnlineScoring refused =
        online(refusing, 1L << 30, () -> KernelRegistry.open(context.env()))) {
      refused.refresh();
      String reason =
          "Cannot score model 'online_model' version 1 on demand: Cannot compile stage Tokenizer"
              + " (uid tok_1).";
      assertThat(refused.problems()).contains(reason);
      assertThatThrownBy(() -> refused.scoreEntity(1L))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(reason);
    }
  }

  @Test
  @Order(11)
  void featuresAboveTheMemorySettingAreReadByIdAndAnsweredOverHttpAsFromMemory() throws Exception {
    // The prediction table without ids 20 and up: a GET for those is scored on demand.
    String partial = dir.resolve("predictions_partial").toString();
    spark
        .read()
        .format("delta")
        .load(context.warehouse().location(new TableName(DB, "predictions_online")))
        .where(col("id").lt(20))
        .write()
        .format("delta")
        .save(partial);
    LoadedModels models = new LoadedModels();
    models.offer(
        new PredictionCache(
            spark,
            new ServedModel(
                MODEL, Task.REGRESSION, "id", new TableName(DB, "predictions_partial"), partial),
            KernelVersions.withHadoop(spark.sparkContext().hadoopConfiguration())));
    try (OnlineScoring small =
            online(ModelFamilies::rowScorer, 64, () -> KernelRegistry.open(context.env()));
        CacheRefresher refresher =
            CacheRefresher.manual(models, () -> {}, new PrintWriter(Writer.nullWriter()))) {
      small.refresh();
      assertThat(small.problems()).as("read by id, not refused").isEmpty();
      refresher.refreshAll();
      models.attach(MODEL, small);
      try (HttpLookup server =
          HttpLookup.start(models, new ServingMetrics(), ServerOptions.of("127.0.0.1", 0, 2))) {
        HttpClient http = HttpClient.newHttpClient();
        for (long id : new long[] {20, 33}) {
          HttpResponse<String> answer =
              get(http, server, "/v1/models/" + MODEL + "/predictions/" + id);
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
          JsonNode body = new ObjectMapper().readTree(answer.body());
          assertThat(body.get("source").asText()).isEqualTo("online");
          assertThat(body.get("model_version").asInt()).isEqualTo(1);
          assertThat(body.get("prediction").asDouble())
              .isEqualTo(online.scoreEntity(id).prediction().prediction());
        }
        HttpResponse<String> missing =
            get(http, server, "/v1/models/" + MODEL + "/predictions/999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(new ObjectMapper().readTree(missing.body()).get("error").asText())
            .isEqualTo(
                "Unknown id '999' for model 'online_model': online_scoring_test.entities"
                    + " (serving.features) has no row for it.");
        assertThat(get(http, server, "/healthz").body()).doesNotContain("features_memory");
      }
    }
  }

  private static HttpResponse<String> get(HttpClient http, HttpLookup server, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The registry as it is, but with no candidate: only production is preloaded. */
  private record ProductionOnly(RegistryView registry) implements RegistryView {
    @Override
    public boolean tablesExist() {
      return registry.tablesExist();
    }

    @Override
    public List<String> models() {
      return registry.models();
    }

    @Override
    public List<ModelVersion> versions(String model) {
      return registry.versions(model);
    }

    @Override
    public Optional<ModelVersion> find(String model, int version) {
      return registry.find(model, version);
    }

    @Override
    public int latestVersion(String model) {
      return registry.latestVersion(model);
    }

    @Override
    public Map<String, Integer> aliases(String model) {
      Integer production = registry.aliases(model).get(ModelAliasesTable.PRODUCTION);
      return Map.of(ModelAliasesTable.PRODUCTION, production);
    }

    @Override
    public ModelHistory history(String model) {
      return registry.history(model);
    }
  }
}
