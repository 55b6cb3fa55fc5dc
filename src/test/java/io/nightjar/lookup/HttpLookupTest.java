package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nightjar.ExpectedError;
import io.nightjar.TestSpark;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.kernel.KernelVersions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code serve}'s HTTP lookup over handmade prediction tables: a regression model with whole-number
 * ids and a classification model with string ids whose scores have expired. The last test rescores
 * and checks that the new version is served without a restart while requests keep getting answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpLookupTest {
  private static final String DB = "lookup_test";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 30);
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Instant LONG_AGO = Instant.parse("2020-01-01T02:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static JobContext context;
  static PredictionRows regression;
  static PredictionCache regressionCache;
  static PredictionCache classificationCache;
  static LoadedModels models;
  static HttpLookup lookup;
  static HttpClient http;

  @BeforeAll
  static void serve() {
    context = TestSpark.contextWithDatabase(dir, DB);
    regression = new PredictionRows(context, "preds_reg", Task.REGRESSION, DataTypes.LongType);
    regression.write("reg_model", 1, DAY, 0, 50, id -> id * 1.5, NOW, Duration.ofDays(3));
    PredictionRows classification =
        new PredictionRows(context, "preds_cls", Task.CLASSIFICATION, DataTypes.StringType);
    classification.write("cls_model", 4, DAY, 0, 20, id -> id / 20.0, LONG_AGO, Duration.ofDays(1));
    regressionCache =
        new PredictionCache(
            context.spark(), regression.served("reg_model"), KernelVersions.open(context.env()));
    classificationCache =
        new PredictionCache(
            context.spark(),
            classification.served("cls_model"),
            KernelVersions.open(context.env()));
    assertThat(regressionCache.refresh()).isTrue();
    assertThat(classificationCache.refresh()).isTrue();
    models = new LoadedModels();
    models.loaded(regressionCache);
    models.loaded(classificationCache);
    lookup = HttpLookup.start(models, new ServingMetrics(), ServerOptions.of("127.0.0.1", 0, 4));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    if (lookup != null) {
      lookup.close();
    }
  }

  private static HttpResponse<String> request(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lookup.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path, int status) throws Exception {
    HttpResponse<String> response = request("GET", path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  @Test
  @Order(1)
  void answersAKnownIdWithItsPredictionAsJson() throws Exception {
    JsonNode body = get("/v1/models/reg_model/predictions/7", 200);
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                """
                {"model_name": "reg_model", "id": 7, "prediction": 10.5, "model_version": 1,
                 "scored_at": "%s", "valid_until": "%s", "is_fresh": true, "source": "precomputed"}
                """
                    .formatted(NOW, NOW.plus(Duration.ofDays(3)))));
  }

  @Test
  @Order(1)
  void classificationAnswersCarryTheProbabilityAndExpiredScoresAreNotFresh() throws Exception {
    JsonNode body = get("/v1/models/cls_model/predictions/e-15", 200);
    assertThat(body)
        .isEqualTo(
            JSON.readTree(
                """
                {"model_name": "cls_model", "id": "e-15", "prediction": 1.0, "probability": 0.75, "model_version": 4,
                 "scored_at": "2020-01-01T02:00:00Z", "valid_until": "2020-01-02T02:00:00Z", "is_fresh": false,
                 "source": "precomputed"}
                """));
    // A percent-encoded id is decoded before the lookup ('+' stays a plus in a path).
    assertThat(get("/v1/models/cls_model/predictions/e%2D3", 200).get("probability").asDouble())
        .isEqualTo(0.15);
    assertThat(get("/v1/models/cls_model/predictions/e+3", 404).get("error").asText())
        .isEqualTo("No prediction for id 'e+3' of model 'cls_model'.");
  }

  /** Unknown models and ids are 404, malformed ones 400, with the error ({@link ExpectedError}). */
  @ParameterizedTest(name = "GET {0}")
  @Order(1)
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          /v1/models/nope/predictions/1                       | 404 | Unknown model 'nope': it is not served here (see GET /healthz).
          /v1/models/reg_model/predictions/50                 | 404 | No prediction for id '50' of model 'reg_model'.
          /v1/models/Reg-Model/predictions/1                  | 400 | Invalid model name for 'model': 'Reg-Model'.…
          /v1/models/reg_model/predictions/seven              | 400 | Invalid id 'seven': this model's ids are whole numbers (long).
          /v1/models/reg_model/predictions/99999999999999999999 | 400 | Invalid id '99999999999999999999'…
          """)
  void unknownModelsAndIdsAre404MalformedOnes400(String path, int status, String error)
      throws Exception {
    ExpectedError.assertMatches(get(path, status).get("error").asText(), error);
  }

  @Test
  @Order(1)
  void pathsOutsideTheRoutesAre404() throws Exception {
    get("/v1/models/reg_model/predictions/", 404);
    get("/v1/models/reg_model/scores/1", 404);
    get("/", 404);
  }

  @Test
  @Order(1)
  void aMalformedEscapeAndAClimbingPathAre400() throws Exception {
    // java.net.http refuses to send a malformed escape: send it over a plain socket.
    try (RawHttp raw = new RawHttp(lookup.port())) {
      RawHttp.Answer malformed =
          raw.send(RawHttp.get("/v1/models/reg_model/predictions/%zz")).read();
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(JSON.readTree(malformed.body()).get("error").asText())
          .isEqualTo("Invalid path segment '%zz': malformed percent-encoding.");
    }
    // A path that tries to climb out is just an unknown model: nothing reads files.
    get("/v1/models/..%2F..%2Fetc/predictions/1", 400);
  }

  @Test
  @Order(1)
  void otherMethodsAre405() throws Exception {
    HttpResponse<String> post = request("POST", "/v1/models/reg_model/predictions/7");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    assertThat(request("DELETE", "/healthz").statusCode()).isEqualTo(405);
  }

  @Test
  @Order(1)
  void healthzListsTheServedModelsAndIs503WhileOnesPredictionsHaveAllExpired() throws Exception {
    JsonNode body = get("/healthz", 503);
    assertThat(body.get("status").asText()).isEqualTo("unavailable");
    assertThat(body.get("reasons").get(0).asText())
        .isEqualTo(
            "model 'cls_model': every precomputed prediction is past its valid_until (the newest,"
                + " 2020-01-02T02:00:00Z, has passed); run score");
    assertThat(body.get("models").get("reg_model").get("entities").asInt()).isEqualTo(50);
    assertThat(body.get("models").get("cls_model").get("entities").asInt()).isEqualTo(20);
    assertThat(body.get("models").get("reg_model").get("table_version").asLong())
        .isEqualTo(regressionCache.snapshot().tableVersion());
  }

  @Test
  @Order(1)
  void theCacheHoldsExactlyTheCurrentViewsRows() {
    List<Row> view = context.spark().table(DB + ".preds_cls_current").collectAsList();
    assertThat(view).hasSize(classificationCache.snapshot().size());
    for (Row row : view) {
      Prediction cached =
          classificationCache.snapshot().find(row.<String>getAs("id")).orElseThrow();
      assertThat(cached.prediction()).isEqualTo(row.<Double>getAs("prediction"));
      assertThat(cached.probability()).isEqualTo(row.<Double>getAs("probability"));
      assertThat(cached.modelVersion()).isEqualTo(row.<Integer>getAs("model_version"));
      assertThat(cached.validUntil()).isEqualTo(row.<Timestamp>getAs("valid_until").toInstant());
      assertThat(cached.freshAt(Instant.now())).isEqualTo(row.<Boolean>getAs("is_fresh"));
    }
  }

  @Test
  @Order(2)
  void aRescoreIsServedWithoutRestartAndNoRequestFailsDuringTheSwap() throws Exception {
    long before = regressionCache.snapshot().tableVersion();
    StringWriter log = new StringWriter();
    Set<String> answers = ConcurrentHashMap.newKeySet();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread client =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    HttpResponse<String> r = request("GET", "/v1/models/reg_model/predictions/7");
                    if (r.statusCode() != 200) {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                    answers.add(JSON.readTree(r.body()).get("prediction").asText());
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    try (CacheRefresher refresher =
        CacheRefresher.start(
            List.of(regressionCache), Duration.ofMillis(200), new PrintWriter(log))) {
      regression.write(
          "reg_model", 2, DAY.plusDays(1), 0, 60, id -> id * 2.0, NOW, Duration.ofDays(3));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (get("/v1/models/reg_model/predictions/7", 200).get("prediction").asDouble() != 14.0) {
        assertThat(System.nanoTime()).as("reload within 60 s; log: " + log).isLessThan(deadline);
        Thread.sleep(100);
      }
    } finally {
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }
    assertThat(failures).isEmpty();
    assertThat(answers).containsExactlyInAnyOrder("10.5", "14.0");
    assertThat(regressionCache.snapshot().tableVersion()).isGreaterThan(before);
    assertThat(log.toString()).contains("[serve] reloaded reg_model: 60 entities at table version");
    JsonNode added = get("/v1/models/reg_model/predictions/55", 200);
    assertThat(added.get("model_version").asInt()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void aModelFoundAfterStartIsLoadedAtTheNextCheckAndServed() throws Exception {
    assertThat(get("/v1/models/late_model/predictions/3", 404).get("error").asText())
        .startsWith("Unknown model 'late_model'");
    PredictionRows late =
        new PredictionRows(context, "preds_late", Task.REGRESSION, DataTypes.LongType);
    StringWriter log = new StringWriter();
    List<ServedModel> registered = new ArrayList<>();
    // What serve's discovery does with a newly registered model: offer its cache.
    CacheRefresher refresher =
        CacheRefresher.manual(
            models,
            () ->
                registered.forEach(
                    m ->
                        models.offer(
                            new PredictionCache(
                                context.spark(), m, KernelVersions.open(context.env())))),
            new PrintWriter(log));
    registered.add(late.served("late_model"));
    late.write("late_model", 1, DAY, 0, 5, id -> id + 0.5, NOW, Duration.ofDays(3));
    refresher.refreshAll();
    assertThat(log.toString()).contains("[serve] serving late_model: 5 entities from");
    assertThat(get("/v1/models/late_model/predictions/3", 200).get("prediction").asDouble())
        .isEqualTo(3.5);
  }
}
