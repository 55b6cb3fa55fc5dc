package io.nightjar.lookup;

import static io.nightjar.lookup.Response.JSON;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Identifiers;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What {@code serve} answers to each request (the routes of the README's `serve` section), without
 * sockets: {@link #dispatch} either answers at once from memory or returns the work that scores,
 * which the server runs on a worker thread. Answers carry {@code source}: precomputed, online or
 * cache.
 */
final class LookupRoutes {
  private static final String PREFIX = "/v1/models/";
  static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final LoadedModels models;
  private final ServingMetrics metrics;
  private final HealthCheck health;
  private final int maxBatch;

  LookupRoutes(LoadedModels models, ServingMetrics metrics, int maxBatch) {
    this.models = models;
    this.metrics = metrics;
    this.health = new HealthCheck(models);
    this.maxBatch = maxBatch;
  }

  /**
   * How a request is answered: {@code response} now, or {@code work} (which never throws) on a
   * worker. {@code model} is the metrics label: a served model's name, else {@link
   * ServingMetrics#OTHER_MODEL} or null.
   */
  record Dispatch(Route route, String model, Response response, Supplier<Response> work) {
    static Dispatch now(Route route, String model, Response response) {
      return new Dispatch(route, model, response, null);
    }

    static Dispatch later(Route route, String model, Supplier<Response> work) {
      return new Dispatch(
          route,
          model,
          null,
          () -> {
            try {
              return work.get();
            } catch (RuntimeException e) {
              return Response.failure(e);
            }
          });
    }
  }

  /** Routes one request; never throws (a failure is a 500 answer). */
  Dispatch dispatch(String method, String rawPath, byte[] body) {
    try {
      return route(method, rawPath, body);
    } catch (RuntimeException e) {
      return Dispatch.now(Route.NONE, null, Response.failure(e));
    }
  }

  private Dispatch route(String method, String rawPath, byte[] body) {
    if ("/healthz".equals(rawPath) || "/metrics".equals(rawPath)) {
      Route route = rawPath.equals("/healthz") ? Route.HEALTHZ : Route.METRICS;
      if (!"GET".equals(method)) {
        return Dispatch.now(route, null, Response.methodNotAllowed(method, "GET"));
      }
      return Dispatch.now(
          route,
          null,
          route == Route.HEALTHZ
              ? health.check(Instant.now())
              : Response.text(PROMETHEUS_TYPE, metrics.scrape(models)));
    }
    String[] parts =
        rawPath.startsWith(PREFIX) ? rawPath.substring(PREFIX.length()).split("/", -1) : null;
    if (parts != null
        && parts.length == 3
        && "predictions".equals(parts[1])
        && !parts[2].isEmpty()) {
      return withModel(
          Route.PREDICTION, "GET", method, parts[0], name -> precomputed(name, parts[2]));
    }
    if (parts != null
        && parts.length == 5
        && "versions".equals(parts[1])
        && "predictions".equals(parts[3])
        && !parts[4].isEmpty()) {
      return withModel(
          Route.VERSION_PREDICTION,
          "GET",
          method,
          parts[0],
          name -> version(name, parts[2], parts[4]));
    }
    if (parts != null && parts.length == 2 && "predict".equals(parts[1])) {
      return withModel(Route.PREDICT, "POST", method, parts[0], name -> predict(name, body));
    }
    return Dispatch.now(
        Route.NONE,
        null,
        Response.error(
            404,
            "Not found: use GET /v1/models/{name}/predictions/{id}, GET"
                + " /v1/models/{name}/versions/{v}/predictions/{id}, POST /v1/models/{name}/predict,"
                + " GET /healthz or GET /metrics."));
  }

  /** Checks the method and the model name, then routes; 400/404 answers name what was wrong. */
  private Dispatch withModel(
      Route route, String allowed, String method, String rawName, Function<String, Dispatch> next) {
    if (!allowed.equals(method)) {
      return Dispatch.now(route, null, Response.methodNotAllowed(method, allowed));
    }
    String name;
    try {
      name = Identifiers.modelName("model", decode(rawName));
    } catch (IllegalArgumentException | ConfigException | ServingException e) {
      return Dispatch.now(route, ServingMetrics.OTHER_MODEL, Response.error(400, e.getMessage()));
    }
    if (models.findCache(name).isEmpty()) {
      return Dispatch.now(
          route,
          ServingMetrics.OTHER_MODEL,
          Response.error(
              404, "Unknown model '" + name + "': it is not served here (see GET /healthz)."));
    }
    try {
      return next.apply(name);
    } catch (ServingException e) {
      return Dispatch.now(route, name, Response.failure(e));
    }
  }

  private Dispatch precomputed(String name, String rawId) {
    PredictionSnapshot snapshot = models.findCache(name).orElseThrow().snapshot();
    String idText = decode(rawId);
    Object id;
    try {
      id = snapshot.idType().parse(idText);
    } catch (IllegalArgumentException e) {
      return Dispatch.now(Route.PREDICTION, name, Response.error(400, e.getMessage()));
    }
    Optional<OnDemandScoring> scoring = models.findScoring(name);
    Optional<Prediction> found = snapshot.find(id);
    Instant now = Instant.now();
    boolean scores =
        scoring.isPresent()
            && (found.isEmpty()
                ? scoring.get().scoresMissing()
                : !found.get().freshAt(now) && scoring.get().scoresStale());
    if (!scores) {
      if (found.isEmpty()) {
        return Dispatch.now(
            Route.PREDICTION,
            name,
            Response.error(404, "No prediction for id '" + idText + "' of model '" + name + "'."));
      }
      return Dispatch.now(
          Route.PREDICTION,
          name,
          answer(name, new ServedPrediction(found.get(), PredictionSource.PRECOMPUTED), now));
    }
    // findCached only reads memory: answered here; scoring goes to a worker.
    Optional<ServedPrediction> cached = scoring.get().findCached(id);
    if (cached.isPresent()) {
      return Dispatch.now(Route.PREDICTION, name, answer(name, cached.get(), now));
    }
    return Dispatch.later(
        Route.PREDICTION, name, () -> answer(name, scoring.get().scoreEntity(id), Instant.now()));
  }

  private Dispatch version(String name, String rawVersion, String rawId) {
    String versionText = decode(rawVersion);
    int version;
    try {
      version = Integer.parseInt(versionText);
    } catch (NumberFormatException e) {
      version = 0;
    }
    if (version < 1) {
      return Dispatch.now(
          Route.VERSION_PREDICTION,
          name,
          Response.error(
              400, "Invalid version '" + versionText + "': versions are whole numbers from 1."));
    }
    Optional<OnDemandScoring> scoring = models.findScoring(name);
    if (scoring.isEmpty()) {
      return Dispatch.now(Route.VERSION_PREDICTION, name, noScoring(name));
    }
    String idText = decode(rawId);
    Object id;
    try {
      id = models.findCache(name).orElseThrow().snapshot().idType().parse(idText);
    } catch (IllegalArgumentException e) {
      return Dispatch.now(Route.VERSION_PREDICTION, name, Response.error(400, e.getMessage()));
    }
    int v = version;
    return Dispatch.later(
        Route.VERSION_PREDICTION,
        name,
        () -> answer(name, scoring.get().scoreEntity(v, id), Instant.now()));
  }

  private Dispatch predict(String name, byte[] body) {
    Optional<OnDemandScoring> scoring = models.findScoring(name);
    if (scoring.isEmpty()) {
      return Dispatch.now(Route.PREDICT, name, noScoring(name));
    }
    return Dispatch.later(
        Route.PREDICT,
        name,
        () -> {
          // Parsed on the scoring thread: a large body would hold up the network thread's other
          // connections.
          PredictBody rows = PredictBody.parse(body, maxBatch);
          var answers = scoring.get().scoreRows(rows.rows());
          if (answers.size() != rows.rows().size()) {
            throw new IllegalStateException(
                "scoring answered " + answers.size() + " rows for " + rows.rows().size());
          }
          Instant now = Instant.now();
          if (!rows.list()) {
            return answer(name, answers.get(0), now);
          }
          ArrayNode list = JSON.createArrayNode();
          PredictionSource source = null;
          for (ServedPrediction p : answers) {
            list.add(json(name, p, now));
            source = source == null || source == p.source() ? p.source() : PredictionSource.ONLINE;
          }
          return Response.json(200, list, source);
        });
  }

  private static Response noScoring(String name) {
    return Response.error(
        404,
        "Model '"
            + name
            + "' is not scored on demand here: only its precomputed predictions are served (GET"
            + " /v1/models/"
            + name
            + "/predictions/{id}); see GET /healthz.");
  }

  private static Response answer(String model, ServedPrediction p, Instant now) {
    return Response.json(200, json(model, p, now), p.source());
  }

  /** The JSON of one answer (the fields of every prediction answer, README `serve`). */
  static ObjectNode json(String model, ServedPrediction served, Instant now) {
    Prediction p = served.prediction();
    ObjectNode body = JSON.createObjectNode().put("model_name", model);
    if (p.id() instanceof Number number) {
      body.put("id", number.longValue());
    } else if (p.id() != null) {
      body.put("id", p.id().toString());
    }
    body.put("prediction", p.prediction());
    if (p.probability() != null) {
      body.put("probability", p.probability());
    }
    return body.put("model_version", p.modelVersion())
        .put("scored_at", p.scoredAt().toString())
        .put("valid_until", p.validUntil().toString())
        .put("is_fresh", p.freshAt(now))
        .put("source", served.source().jsonName());
  }

  /** A path segment, percent-decoded ({@code +} stays a plus: this is a path, not a form). */
  static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ServingException.invalid(
          "Invalid path segment '" + segment + "': malformed percent-encoding.");
    }
  }

  /** Reads a JSON node; a syntax error is a 400 naming where it is. */
  static JsonNode readJson(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ServingException.invalid(
          String.format(
              "Invalid JSON body at line %d, column %d: %s.",
              at == null ? 0 : at.getLineNr(),
              at == null ? 0 : at.getColumnNr(),
              e.getOriginalMessage().lines().findFirst().orElse("").strip()));
    } catch (IOException e) {
      throw ServingException.invalid("Invalid JSON body: " + e.getMessage());
    }
  }
}
