package io.nightjar.lookup;

import static io.nightjar.lookup.Response.JSON;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /healthz}: 200 {@code {"status": "ok", "models": ...}} while every model serves what
 * it should, else 503 with {@code "reasons"}: a model that failed to load or reload, a model whose
 * precomputed predictions are all past their {@code valid_until} (unless its on-demand scoring
 * rescores stale rows), and the problems its on-demand scoring reports.
 */
final class HealthCheck {
  private final LoadedModels models;

  HealthCheck(LoadedModels models) {
    this.models = models;
  }

  Response check(Instant now) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode served = JSON.createObjectNode();
    ArrayNode reasons = JSON.createArrayNode();
    models.failures().forEach((model, reason) -> reasons.add("model '" + model + "': " + reason));
    for (Map.Entry<String, PredictionCache> e : models.caches().entrySet()) {
      String name = e.getKey();
      PredictionSnapshot snapshot = e.getValue().snapshot();
      Optional<OnDemandScoring> scoring = models.findScoring(name);
      ObjectNode model =
          served
              .putObject(name)
              .put("entities", snapshot.size())
              .put("table_version", snapshot.tableVersion())
              .put("on_demand", scoring.isPresent());
      Optional<Instant> newest = snapshot.findNewestValidUntil();
      newest.ifPresent(at -> model.put("newest_valid_until", at.toString()));
      boolean rescoresStale = scoring.isPresent() && scoring.get().scoresStale();
      if (newest.isPresent() && !newest.get().isAfter(now) && !rescoresStale) {
        reasons.add(
            String.format(
                "model '%s': every precomputed prediction is past its valid_until (the newest, %s,"
                    + " has passed); run score",
                name, newest.get()));
      }
      if (scoring.isPresent()) {
        List<String> problems = scoring.get().problems();
        problems.forEach(p -> reasons.add("model '" + name + "': " + p));
      }
    }
    body.put("status", reasons.isEmpty() ? "ok" : "unavailable");
    body.set("models", served);
    if (!reasons.isEmpty()) {
      body.set("reasons", reasons);
    }
    return Response.json(reasons.isEmpty() ? 200 : 503, body, null);
  }
}
