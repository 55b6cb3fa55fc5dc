package io.nightjar.lookup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;

/**
 * One answer of {@code serve}: status, body and the headers some statuses need ({@code Allow} with
 * 405, {@code Retry-After} with 503), and the source of the predictions in it (null when none) for
 * the metrics.
 */
record Response(
    int status,
    byte[] content,
    String contentType,
    String allow,
    int retryAfterSeconds,
    PredictionSource source) {
  /**
   * Reads and writes every JSON body. Jackson's fast double parser (exact, like the JDK's) because
   * a POST of 100 rows carries thousands of decimal numbers and the JDK's parser was most of its
   * cost.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  static final String JSON_TYPE = "application/json";

  static Response json(int status, JsonNode body, PredictionSource source) {
    try {
      return new Response(status, JSON.writeValueAsBytes(body), JSON_TYPE, null, 0, source);
    } catch (JsonProcessingException e) {
      // A tree of plain nodes always serialises.
      throw new IllegalStateException(e);
    }
  }

  static Response text(String contentType, String body) {
    return new Response(200, body.getBytes(StandardCharsets.UTF_8), contentType, null, 0, null);
  }

  static Response error(int status, String message) {
    return json(status, JSON.createObjectNode().put("error", message), null);
  }

  static Response methodNotAllowed(String method, String allow) {
    Response r = error(405, "Method " + method + " is not allowed here: use " + allow + ".");
    return new Response(405, r.content, JSON_TYPE, allow, 0, null);
  }

  static Response unavailable(String message, int retryAfterSeconds) {
    Response r = error(503, message);
    return new Response(503, r.content, JSON_TYPE, null, Math.max(1, retryAfterSeconds), null);
  }

  /** The answer for a failed scoring call: its status for a {@link ServingException}, else 500. */
  static Response failure(RuntimeException e) {
    if (e instanceof ServingException s) {
      return s.status() == 503
          ? unavailable(s.getMessage(), s.retryAfterSeconds())
          : error(s.status(), s.getMessage());
    }
    return error(500, "Internal error: " + oneLine(e));
  }

  /** The first line of the exception's message, or its type when it has none. */
  static String oneLine(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName() + ".";
    }
    int end = message.indexOf('\n');
    return (end < 0 ? message : message.substring(0, end)).strip();
  }
}
