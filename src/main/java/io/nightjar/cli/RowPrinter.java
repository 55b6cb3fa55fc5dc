package io.nightjar.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints rows of named columns as an aligned text table, CSV (RFC 4180 quoting) or a JSON array of
 * objects. Values are printed as given: callers pass strings, numbers, booleans, lists, maps or
 * null.
 */
final class RowPrinter {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private RowPrinter() {}

  static void print(
      PrintWriter out, OutputFormat format, List<String> columns, List<List<Object>> rows) {
    switch (format) {
      case TABLE -> table(out, columns, rows);
      case CSV -> csv(out, columns, rows);
      case JSON -> json(out, columns, rows);
    }
    out.flush();
  }

  private static void table(PrintWriter out, List<String> columns, List<List<Object>> rows) {
    int[] widths = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      widths[i] = columns.get(i).length();
    }
    for (List<Object> row : rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        String cell = text(row.get(i)).replace("\n", "\\n");
        widths[i] = Math.max(widths[i], cell.length());
        line.add(cell);
      }
      cells.add(line);
    }
    out.println(line(columns, widths));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
    }
    out.println(rule);
    for (List<String> line : cells) {
      out.println(line(line, widths));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      out.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
    }
    return out.toString().replaceAll("\\s+$", "");
  }

  private static void csv(PrintWriter out, List<String> columns, List<List<Object>> rows) {
    out.println(String.join(",", columns.stream().map(RowPrinter::csvCell).toList()));
    for (List<Object> row : rows) {
      out.println(
          String.join(",", row.stream().map(v -> v == null ? "" : csvCell(text(v))).toList()));
    }
  }

  private static String csvCell(String value) {
    if (value.contains(",")
        || value.contains("\"")
        || value.contains("\n")
        || value.contains("\r")) {
      return "\"" + value.replace("\"", "\"\"") + "\"";
    }
    return value;
  }

  private static void json(PrintWriter out, List<String> columns, List<List<Object>> rows) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (List<Object> row : rows) {
      Map<String, Object> object = new LinkedHashMap<>();
      for (int i = 0; i < columns.size(); i++) {
        object.put(columns.get(i), jsonValue(row.get(i)));
      }
      objects.add(object);
    }
    try {
      out.println(JSON.writeValueAsString(objects));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write rows as JSON", e);
    }
  }

  private static Object jsonValue(Object value) {
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.toString();
    }
    if (value instanceof Date || value instanceof Temporal) {
      return value.toString();
    }
    return value;
  }

  static String text(Object value) {
    return value == null ? "null" : value.toString();
  }
}
