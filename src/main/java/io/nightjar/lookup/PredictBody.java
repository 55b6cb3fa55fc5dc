package io.nightjar.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code POST /v1/models/{name}/predict}: one JSON object of feature values, or a list
 * of 1 to {@code --max-batch} of them; {@code list} says which, so the answer takes the same shape.
 */
record PredictBody(List<Map<String, Object>> rows, boolean list) {
  /**
   * Reads a request body.
   *
   * @throws ServingException 400 naming what is wrong: the JSON syntax (with its line and column),
   *     the shape, or the row that is not an object
   */
  static PredictBody parse(byte[] body, int maxBatch) {
    String shape =
        "send one JSON object of feature values or a list of 1 to " + maxBatch + " of them";
    if (body.length == 0) {
      throw ServingException.invalid("Invalid body: it is empty; " + shape + ".");
    }
    JsonNode node = LookupRoutes.readJson(body);
    if (node.isObject()) {
      return new PredictBody(List.of(row(node)), false);
    }
    if (!node.isArray()) {
      throw ServingException.invalid(
          "Invalid body: it is a JSON "
              + node.getNodeType().name().toLowerCase(Locale.ROOT)
              + "; "
              + shape
              + ".");
    }
    if (node.isEmpty() || node.size() > maxBatch) {
      throw ServingException.invalid(
          "Invalid body: a list of " + node.size() + " rows; " + shape + " (--max-batch).");
    }
    List<Map<String, Object>> rows = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode row = node.get(i);
      if (!row.isObject()) {
        throw ServingException.invalid(
            "Invalid body: row "
                + i
                + " is a JSON "
                + row.getNodeType().name().toLowerCase(Locale.ROOT)
                + "; each row is an object of feature names to values.");
      }
      rows.add(row(row));
    }
    return new PredictBody(List.copyOf(rows), true);
  }

  /**
   * The row's values as Jackson binds JSON to Object (Integer, Long or BigInteger, Double, Boolean,
   * String, null; List or Map for nested values, which the scorer refuses by feature name), taken
   * from the parsed tree rather than converted back through JSON.
   */
  private static Map<String, Object> row(JsonNode node) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      out.put(field.getKey(), value(field.getValue()));
    }
    return out;
  }

  private static Object value(JsonNode value) {
    if (value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value.numberValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    return Response.JSON.convertValue(value, Object.class);
  }
}
