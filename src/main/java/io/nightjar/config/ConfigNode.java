package io.nightjar.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;

/**
 * A typed, strict view of one YAML mapping. Every accessor names the full key path in its error,
 * and {@link #allowOnly} rejects keys nobody reads, so a misspelt key is an error rather than a
 * silently ignored setting.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;

  private ConfigNode(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** Wraps the root mapping of a file; {@code what} names the file in errors. */
  public static ConfigNode root(JsonNode node, String what) {
    ConfigException.check(
        node != null && node.isObject(),
        "Invalid %s: the top level must be a mapping of keys to values.",
        what);
    return new ConfigNode(node, "");
  }

  /** The path of a key of this node, e.g. {@code tuning.folds}. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * Rejects any key not in {@code allowed}, naming the first unknown key's full path and the valid
   * keys.
   */
  public ConfigNode allowOnly(String... allowed) {
    Set<String> known = new LinkedHashSet<>(Arrays.asList(allowed));
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      ConfigException.check(
          known.contains(name),
          "Unknown key '%s'. Valid keys here: %s.",
          pathOf(name),
          String.join(", ", known));
    }
    return this;
  }

  public boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  /** A nested mapping, or null when absent. */
  public ConfigNode child(String key) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    if (!value.isObject()) {
      throw ConfigErrors.notAMapping(pathOf(key));
    }
    return new ConfigNode(value, pathOf(key));
  }

  public ConfigNode requiredChild(String key) {
    ConfigNode child = child(key);
    if (child == null) {
      throw ConfigErrors.missingKey(pathOf(key));
    }
    return child;
  }

  /** A scalar as text, or {@code fallback} when absent. */
  public String string(String key, String fallback) {
    if (!has(key)) {
      return fallback;
    }
    JsonNode value = node.get(key);
    ConfigException.check(
        value.isValueNode(), "Invalid value for '%s': expected a single value.", pathOf(key));
    return value.asText();
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw ConfigErrors.missingKey(pathOf(key));
    }
    return value;
  }

  public int integer(String key, int fallback, int min, int max) {
    JsonNode value =
        scalar(
            key,
            v -> v.isIntegralNumber() && v.asLong() >= min && v.asLong() <= max,
            String.format("a whole number from %d to %d", min, max));
    return value == null ? fallback : value.asInt();
  }

  public long longValue(String key, long fallback) {
    JsonNode value = scalar(key, JsonNode::isIntegralNumber, "a whole number");
    return value == null ? fallback : value.asLong();
  }

  /**
   * A number, or {@code fallback} when absent; {@code range} describes the valid values in the
   * error.
   */
  public double number(String key, double fallback, DoublePredicate valid, String range) {
    JsonNode value =
        scalar(key, v -> v.isNumber() && valid.test(v.asDouble()), "a number " + range);
    return value == null ? fallback : value.asDouble();
  }

  public boolean bool(String key, boolean fallback) {
    JsonNode value = scalar(key, JsonNode::isBoolean, "true or false");
    return value == null ? fallback : value.asBoolean();
  }

  /**
   * The value of {@code key}, or null when absent.
   *
   * @throws ConfigException when {@code valid} refuses it, saying which key, its value and what is
   *     {@code expected}
   */
  private JsonNode scalar(String key, Predicate<JsonNode> valid, String expected) {
    if (!has(key)) {
      return null;
    }
    JsonNode value = node.get(key);
    ConfigException.check(
        valid.test(value),
        "Invalid value for '%s': '%s'. Expected %s.",
        pathOf(key),
        value.asText(),
        expected);
    return value;
  }

  /** A list of scalars as text; empty when absent. */
  public List<String> strings(String key) {
    if (!has(key)) {
      return List.of();
    }
    JsonNode value = node.get(key);
    ConfigException.check(
        value.isArray(), "Invalid value for '%s': expected a list, e.g. [a, b].", pathOf(key));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      ConfigException.check(
          item.isValueNode() && !item.isNull(),
          "Invalid value for '%s[%d]': expected a single value.",
          pathOf(key),
          i);
      out.add(item.asText());
    }
    return List.copyOf(out);
  }

  /** An enum value by its lower-case name (as written in YAML), or {@code fallback} when absent. */
  public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    return Choices.parse(pathOf(key), text, type);
  }

  /** A mapping of string keys to scalar values (e.g. reader options); empty when absent. */
  public Map<String, String> stringMap(String key) {
    ConfigNode child = child(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (child != null) {
      for (String name : child.keys()) {
        out.put(name, child.string(name, ""));
      }
    }
    return Map.copyOf(out);
  }

  /** The keys of this mapping in file order. */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** The raw value of a key (for lists of mappings and grids). */
  public JsonNode raw(String key) {
    return node.get(key);
  }

  /** Wraps a nested mapping found at {@code path} (e.g. an element of a list). */
  public static ConfigNode at(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw ConfigErrors.notAMapping(path);
    }
    return new ConfigNode(node, path);
  }
}
