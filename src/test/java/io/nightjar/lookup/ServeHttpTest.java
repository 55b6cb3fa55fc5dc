package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.nightjar.ExpectedError;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code serve}'s HTTP server over hand-built snapshots and {@link LinearScoring} (no Spark): every
 * route and error code, the order of pipelined answers, the worker pool's 503, the metrics and the
 * health check. Models: {@code reg} (ids 0-9 fresh, 10-14 stale; scores missing and stale ids),
 * {@code keep} (id 0 fresh, 1-4 stale; scoring attached but serves what it has) and {@code plain}
 * (string ids with a probability, no scoring).
 */
class ServeHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Instant PAST = Instant.parse("2020-01-01T00:00:00Z");

  static LoadedModels models;
  static ServingMetrics metrics;
  static LinearScoring regScoring;
  static HttpLookup server;
  static HttpClient http;

  @BeforeAll
  static void start() {
    models = new LoadedModels();
    models.loaded(cache("reg", Task.REGRESSION, regSnapshot(1, 1.0)));
    PredictionSnapshot.Builder keep = new PredictionSnapshot.Builder(IdType.LONG, 3, false);
    keep.add(0L, 0.5, null, 1, NOW, NOW.plus(Duration.ofDays(1)));
    for (long id = 1; id < 5; id++) {
      keep.add(id, 0.5, null, 1, PAST, PAST.plus(Duration.ofDays(1)));
    }
    models.loaded(cache("keep", Task.REGRESSION, keep.build()));
    PredictionSnapshot.Builder plain = new PredictionSnapshot.Builder(IdType.STRING, 7, true);
    plain.add("a", 1.0, 0.75, 4, NOW, NOW.plus(Duration.ofHours(1)));
    plain.add("b", 0.0, 0.25, 4, NOW, NOW.plus(Duration.ofHours(1)));
    models.loaded(cache("plain", Task.CLASSIFICATION, plain.build()));
    regScoring = new LinearScoring(2, Set.of(1, 2), 3, 100, true, true);
    models.attach("reg", regScoring);
    models.attach("keep", new LinearScoring(2, Set.of(2), 3, 100, false, false));
    metrics = new ServingMetrics();
    server = HttpLookup.start(models, metrics, new ServerOptions("127.0.0.1", 0, 2, 1, 4096, 3));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Ids 0-9 predicted {@code factor * id} and fresh; ids 10-14 stale. */
  static PredictionSnapshot regSnapshot(long tableVersion, double factor) {
    PredictionSnapshot.Builder b = new PredictionSnapshot.Builder(IdType.LONG, tableVersion, false);
    for (long id = 0; id < 15; id++) {
      Instant scored = id < 10 ? NOW : PAST;
      b.add(id, factor * id, null, 1, scored, scored.plus(Duration.ofDays(1)));
    }
    return b.build();
  }

  static PredictionCache cache(String name, Task task, PredictionSnapshot snapshot) {
    PredictionCache cache =
        new PredictionCache(
            null,
            new ServedModel(name, task, "id", new TableName("db", name + "_preds"), "/x"),
            path -> -1);
    cache.swap(snapshot);
    return cache;
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode call(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(status);
    if (!path.equals("/metrics")) {
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    }
    return JSON.readTree(response.body());
  }

  static JsonNode get(String path, int status) throws Exception {
    return call("GET", path, null, status);
  }

  static String error(String method, String path, String body, int status) throws Exception {
    return call(method, path, body, status).get("error").asText();
  }

  @Test
  void aFreshPrecomputedRowIsAnsweredWithEveryField() throws Exception {
    assertThat(get("/v1/models/plain/predictions/a", 200))
        .isEqualTo(
            JSON.readTree(
                """
                {"model_name": "plain", "id": "a", "prediction": 1.0, "probability": 0.75,
                 "model_version": 4, "scored_at": "%s", "valid_until": "%s", "is_fresh": true,
                 "source": "precomputed"}
                """
                    .formatted(NOW, NOW.plus(Duration.ofHours(1)))));
    JsonNode reg = get("/v1/models/reg/predictions/7", 200);
    assertThat(reg.get("prediction").asDouble()).isEqualTo(7.0);
    assertThat(reg.get("source").asText()).isEqualTo("precomputed");
    assertThat(reg.has("probability")).isFalse();
  }

  @Test
  void anAbsentIdIsScoredOnDemandThenAnsweredFromTheCache() throws Exception {
    JsonNode first = get("/v1/models/reg/predictions/42", 200);
    assertThat(first.get("source").asText()).isEqualTo("online");
    assertThat(first.get("prediction").asDouble()).isEqualTo(84.0);
    assertThat(first.get("model_version").asInt()).isEqualTo(2);
    assertThat(first.get("is_fresh").asBoolean()).isTrue();
    JsonNode again = get("/v1/models/reg/predictions/42", 200);
    assertThat(again.get("source").asText()).isEqualTo("cache");
    assertThat(again.get("scored_at")).isEqualTo(first.get("scored_at"));
    // No features for the id: the scoring's 404 reaches the client.
    assertThat(error("GET", "/v1/models/reg/predictions/500", null, 404))
        .isEqualTo("No features for id '500'.");
  }

  @Test
  void staleRowsAreRescoredOrServedAsTheModelsPolicySays() throws Exception {
    JsonNode rescored = get("/v1/models/reg/predictions/12", 200);
    assertThat(rescored.get("source").asText()).isEqualTo("online");
    assertThat(rescored.get("prediction").asDouble()).isEqualTo(24.0);
    JsonNode served = get("/v1/models/keep/predictions/3", 200);
    assertThat(served.get("source").asText()).isEqualTo("precomputed");
    assertThat(served.get("is_fresh").asBoolean()).isFalse();
  }

  /** Requests that are refused, with the status and error ({@link ExpectedError}) they get. */
  @ParameterizedTest(name = "GET {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          # keep does not score missing ids, plain has no scoring at all.
          /v1/models/keep/predictions/9              | 404 | No prediction for id '9' of model 'keep'.
          /v1/models/plain/predictions/zz            | 404 | No prediction for id 'zz' of model 'plain'.
          /v1/models/reg/versions/one/predictions/5  | 400 | Invalid version 'one': versions are whole numbers from 1.
          /v1/models/plain/versions/4/predictions/a  | 404 | Model 'plain' is not scored on demand here…
          /v1/models/Reg-Model/predictions/1         | 400 | Invalid model name for 'model': 'Reg-Model'.…
          /v1/models/reg/predictions/seven           | 400 | Invalid id 'seven': this model's ids are whole numbers (long).
          /v1/models/nope/predictions/1              | 404 | Unknown model 'nope': it is not served here (see GET /healthz).
          /v1/models/reg/scores/1                    | 404 | Not found: use…
          /                                          | 404 | Not found: use…
          """)
  void aRefusedGetGetsItsStatusAndAnError(String path, int status, String error) throws Exception {
    ExpectedError.assertMatches(error("GET", path, null, status), error);
  }

  @Test
  void aVersionRouteScoresWithThatVersion() throws Exception {
    JsonNode v1 = get("/v1/models/reg/versions/1/predictions/5", 200);
    assertThat(v1.get("model_version").asInt()).isEqualTo(1);
    assertThat(v1.get("prediction").asDouble()).isEqualTo(5.0);
    assertThat(v1.get("source").asText()).isEqualTo("online");
    assertThat(error("GET", "/v1/models/reg/versions/9/predictions/5", null, 404))
        .isEqualTo("Unknown version 9; known: " + Set.of(1, 2) + ".");
  }

  @Test
  void aVersionStillLoadingIs503WithRetryAfter() throws Exception {
    HttpResponse<String> r = send("GET", "/v1/models/reg/versions/3/predictions/5", null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .isEqualTo("Version 3 is still loading.");
  }

  @Test
  void predictAnswersAnObjectForAnObjectAndAListForAList() throws Exception {
    JsonNode one = call("POST", "/v1/models/reg/predict", "{\"x\": 1.5}", 200);
    assertThat(one.isObject()).isTrue();
    assertThat(one.get("prediction").asDouble()).isEqualTo(3.0);
    assertThat(one.get("model_name").asText()).isEqualTo("reg");
    assertThat(one.has("id")).isFalse();
    JsonNode list =
        call("POST", "/v1/models/reg/predict", "[{\"x\": 1, \"id\": 8}, {\"x\": 2}]", 200);
    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("id").asLong()).isEqualTo(8);
    assertThat(list.get(1).get("prediction").asDouble()).isEqualTo(4.0);
    assertThat(list.get(1).get("source").asText()).isEqualTo("online");
  }

  @Test
  void malformedBodiesAre400NamingWhatIsWrong() throws Exception {
    assertThat(error("POST", "/v1/models/reg/predict", "{\"x\": ", 400))
        .startsWith("Invalid JSON body at line 1, column ");
    assertThat(error("POST", "/v1/models/reg/predict", "", 400))
        .isEqualTo(
            "Invalid body: it is empty; send one JSON object of feature values or a list of 1 to 3"
                + " of them.");
    assertThat(
            error(
                "POST", "/v1/models/reg/predict", "[{\"x\":1},{\"x\":1},{\"x\":1},{\"x\":1}]", 400))
        .isEqualTo(
            "Invalid body: a list of 4 rows; send one JSON object of feature values or a list of 1"
                + " to 3 of them (--max-batch).");
    assertThat(error("POST", "/v1/models/reg/predict", "[{\"x\":1}, 7]", 400))
        .isEqualTo(
            "Invalid body: row 1 is a JSON number; each row is an object of feature names to"
                + " values.");
    assertThat(error("POST", "/v1/models/reg/predict", "{\"x\": \"seven\"}", 400))
        .isEqualTo("Invalid row 0: feature 'x' must be a number, got seven.");
    assertThat(error("POST", "/v1/models/plain/predict", "{\"x\": 1}", 404))
        .startsWith("Model 'plain' is not scored on demand here");
  }

  @Test
  void aMalformedPercentEncodingIs400() throws Exception {
    // java.net.http refuses to send a malformed escape: send it over a plain socket.
    try (RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Answer malformed = raw.send(RawHttp.get("/v1/models/reg/predictions/%zz")).read();
      assertThat(malformed.status()).isEqualTo(400);
      assertThat(JSON.readTree(malformed.body()).get("error").asText())
          .isEqualTo("Invalid path segment '%zz': malformed percent-encoding.");
    }
  }

  @Test
  void otherMethodsAre405WithAllow() throws Exception {
    HttpResponse<String> post = send("POST", "/v1/models/reg/predictions/7", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    HttpResponse<String> getPredict = send("GET", "/v1/models/reg/predict", null);
    assertThat(getPredict.statusCode()).isEqualTo(405);
    assertThat(getPredict.headers().firstValue("Allow")).hasValue("POST");
    assertThat(send("DELETE", "/healthz", null).statusCode()).isEqualTo(405);
  }

  @Test
  void aBodyOverTheLimitIs413AndClosesTheConnection() throws Exception {
    try (RawHttp raw = new RawHttp(server.port())) {
      RawHttp.Answer answer =
          raw.send(RawHttp.post("/v1/models/reg/predict", "{\"x\": \"" + "9".repeat(5000) + "\"}"))
              .read();
      assertThat(answer.status()).isEqualTo(413);
      assertThat(JSON.readTree(answer.body()).get("error").asText())
          .isEqualTo("Request body too large: the limit is 4096 bytes (serve --max-body).");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void anInternalFailureIs500WithOneLineNoStackTraceAndNoStore() throws Exception {
    HttpResponse<String> r = send("POST", "/v1/models/reg/predict", "{\"x\": \"explode\"}");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(JSON.readTree(r.body()).get("error").asText())
        .isEqualTo("Internal error: row scorer failed");
    assertThat(r.body()).doesNotContain("Frame.java");
  }

  @Test
  void keepAliveAnswersPipelinedRequestsInTheirOrder() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LinearScoring slow = new LinearScoring(2, Set.of(1, 2), 3, 100, true, true);
    slow.hold(release);
    LoadedModels held = new LoadedModels();
    held.loaded(cache("reg", Task.REGRESSION, regSnapshot(1, 1.0)));
    held.attach("reg", slow);
    try (HttpLookup own =
            HttpLookup.start(held, new ServingMetrics(), ServerOptions.of("127.0.0.1", 0, 2));
        RawHttp raw = new RawHttp(own.port())) {
      // The first needs a worker and waits; the two after it are answered from memory at once,
      // but must come back after it.
      raw.send(
          RawHttp.get("/v1/models/reg/predictions/50")
              + RawHttp.get("/v1/models/reg/predictions/3")
              + RawHttp.get("/healthz"));
      Thread.sleep(200);
      release.countDown();
      List<RawHttp.Answer> answers = raw.read(3);
      assertThat(answers).extracting(RawHttp.Answer::status).containsExactly(200, 200, 200);
      assertThat(JSON.readTree(answers.get(0).body()).get("prediction").asDouble())
          .isEqualTo(100.0);
      assertThat(JSON.readTree(answers.get(1).body()).get("prediction").asDouble()).isEqualTo(3.0);
      assertThat(JSON.readTree(answers.get(2).body()).get("status").asText()).isEqualTo("ok");
      // Still the same connection: another request is answered on it.
      assertThat(raw.send(RawHttp.get("/v1/models/reg/predictions/4")).read().status())
          .isEqualTo(200);
    }
  }

  @Test
  void aFullWorkerPoolIs503WithRetryAfterNotAnEndlessQueue() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LinearScoring slow = new LinearScoring(2, Set.of(2), 3, 100, true, true);
    slow.hold(release);
    LoadedModels held = new LoadedModels();
    held.loaded(cache("reg", Task.REGRESSION, regSnapshot(1, 1.0)));
    held.attach("reg", slow);
    // One thread and a queue of four. Six pipelined scoring requests are dispatched one after the
    // other while the first waits: the sixth finds no room. Its 503 is counted when it is decided,
    // though written after the five before it: wait for that count before releasing the five.
    ServingMetrics ownMetrics = new ServingMetrics();
    try (HttpLookup own = HttpLookup.start(held, ownMetrics, ServerOptions.of("127.0.0.1", 0, 1));
        RawHttp raw = new RawHttp(own.port())) {
      StringBuilder six = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        six.append(RawHttp.get("/v1/models/reg/predictions/" + (60 + i)));
      }
      raw.send(six.toString());
      String rejected = "model=\"reg\",route=\"prediction\",source=\"none\",status=\"503\"";
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (counter(ownMetrics.scrape(held), rejected) < 1) {
        assertThat(System.nanoTime()).as("a 503 decided within 10 s").isLessThan(deadline);
        Thread.sleep(10);
      }
      // Memory-only answers need no worker: another connection is served meanwhile.
      try (RawHttp other = new RawHttp(own.port())) {
        assertThat(other.send(RawHttp.get("/v1/models/reg/predictions/3")).read().status())
            .isEqualTo(200);
      }
      release.countDown();
      List<RawHttp.Answer> answers = raw.read(6);
      assertThat(answers)
          .extracting(RawHttp.Answer::status)
          .containsExactly(200, 200, 200, 200, 200, 503);
      RawHttp.Answer busy = answers.get(5);
      assertThat(busy.headers()).containsEntry("retry-after", "1");
      assertThat(JSON.readTree(busy.body()).get("error").asText()).startsWith("Busy:");
    }
  }

  @Test
  void metricsCountRequestsByModelRouteStatusAndSource() throws Exception {
    String precomputed = "model=\"reg\",route=\"prediction\",source=\"precomputed\",status=\"200\"";
    String unknown = "model=\"other\",route=\"prediction\",source=\"none\",status=\"404\"";
    double before = counter(scrape(), precomputed);
    double unknownBefore = counter(scrape(), unknown);
    get("/v1/models/reg/predictions/1", 200);
    get("/v1/models/reg/predictions/2", 200);
    get("/v1/models/never_served/predictions/2", 404);
    metrics.bind(registry -> Gauge.builder("nightjar.test.bound", () -> 42).register(registry));
    String after = scrape();
    assertThat(counter(after, precomputed)).isEqualTo(before + 2);
    assertThat(counter(after, unknown)).isEqualTo(unknownBefore + 1);
    assertThat(after)
        .contains("nightjar_request_seconds_bucket{model=\"reg\",route=\"prediction\",le=")
        .contains("nightjar_snapshot_table_version{model=\"plain\"} 7.0")
        .contains("nightjar_snapshot_entities{model=\"reg\"} 15.0")
        .contains("nightjar_snapshot_age_seconds{model=\"reg\"}")
        .contains(
            "nightjar_model_version_age_seconds{model=\"plain\",source=\"precomputed\",version=\"4\"}")
        .contains(
            "nightjar_model_version_age_seconds{model=\"reg\",source=\"online\",version=\"2\"}")
        .contains("nightjar_test_bound 42.0");
  }

  private static String scrape() throws Exception {
    HttpResponse<String> r = send("GET", "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(LookupRoutes.PROMETHEUS_TYPE);
    return r.body();
  }

  private static double counter(String scrape, String labels) {
    Matcher m =
        Pattern.compile("(?m)^nightjar_requests_total\\{" + Pattern.quote(labels) + "} (\\S+)$")
            .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void healthzIsOkWhileEveryModelServesAndListsThem() throws Exception {
    JsonNode body = get("/healthz", 200);
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.has("reasons")).isFalse();
    assertThat(body.get("models").get("reg").get("entities").asInt()).isEqualTo(15);
    assertThat(body.get("models").get("reg").get("on_demand").asBoolean()).isTrue();
    assertThat(body.get("models").get("plain").get("table_version").asLong()).isEqualTo(7);
  }

  @Test
  void healthzIs503WithTheReasons() {
    LoadedModels sick = new LoadedModels();
    PredictionSnapshot.Builder stale = new PredictionSnapshot.Builder(IdType.LONG, 2, false);
    stale.add(1L, 1.0, null, 1, PAST, PAST.plus(Duration.ofDays(1)));
    sick.loaded(cache("expired", Task.REGRESSION, stale.build()));
    sick.loaded(cache("troubled", Task.REGRESSION, regSnapshot(1, 1.0)));
    LinearScoring troubled = new LinearScoring(2, Set.of(2), 3, 100, true, true);
    troubled.addProblem("its features table 'db.feats' failed to load: no such table");
    sick.attach("troubled", troubled);
    sick.failed("broken", "could not load broken (retried at every check): bad id type");
    Response r = new HealthCheck(sick).check(Instant.now());
    assertThat(r.status()).isEqualTo(503);
    JsonNode body = readJson(r);
    assertThat(body.get("status").asText()).isEqualTo("unavailable");
    List<String> reasons = new ArrayList<>();
    body.get("reasons").forEach(n -> reasons.add(n.asText()));
    assertThat(reasons)
        .containsExactly(
            "model 'broken': could not load broken (retried at every check): bad id type",
            "model 'expired': every precomputed prediction is past its valid_until (the newest,"
                + " 2020-01-02T00:00:00Z, has passed); run score",
            "model 'troubled': its features table 'db.feats' failed to load: no such table");
    // Stale rows that on-demand scoring rescores are not a reason.
    sick.attach("expired", new LinearScoring(2, Set.of(2), 3, 100, true, true));
    assertThat(readJson(new HealthCheck(sick).check(Instant.now())).get("reasons")).hasSize(2);
  }

  private static JsonNode readJson(Response r) {
    try {
      return JSON.readTree(r.content());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aModelAddedAfterStartIsServedWithoutRestart() throws Exception {
    assertThat(error("GET", "/v1/models/late/predictions/1", null, 404))
        .startsWith("Unknown model 'late'");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    models.whenServed(m -> seen.add(m.name()));
    models.loaded(cache("late", Task.REGRESSION, regSnapshot(1, 3.0)));
    assertThat(get("/v1/models/late/predictions/2", 200).get("prediction").asDouble())
        .isEqualTo(6.0);
    assertThat(seen).contains("late");
  }

  @Test
  void manyClientsWhileSnapshotsAreSwappedSeeNoError() throws Exception {
    PredictionCache reg = models.findCache("reg").orElseThrow();
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t;
      Thread client =
          new Thread(
              () -> {
                int i = offset;
                while (running.get()) {
                  try {
                    long id = i++ % 10;
                    HttpResponse<String> r = send("GET", "/v1/models/reg/predictions/" + id, null);
                    double p = JSON.readTree(r.body()).get("prediction").asDouble();
                    if (r.statusCode() != 200 || (p != id && p != 2.0 * id)) {
                      failures.add(r.statusCode() + " " + r.body());
                    }
                  } catch (Exception e) {
                    failures.add(e.toString());
                  }
                }
              });
      client.start();
      clients.add(client);
    }
    try {
      for (int swap = 0; swap < 40; swap++) {
        reg.swap(regSnapshot(10 + swap, swap % 2 == 0 ? 2.0 : 1.0));
        Thread.sleep(10);
      }
    } finally {
      reg.swap(regSnapshot(1, 1.0));
      running.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }
    assertThat(failures).isEmpty();
  }
}
