package io.nightjar.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML page built section by section: styles inline, charts embedded as PNG data
 * URIs, no scripts and no links to other hosts, so the file opens offline and can be mailed or
 * attached to a ticket. Every text passes through {@link #escape}; nothing a table holds (a model
 * name, a feature, an error message) is markup.
 */
public final class HtmlPage {
  private static final String STYLE =
      """
      body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
      h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #ddd}
      .sub{color:#666;margin-top:0} .note{color:#555;font-size:.92em}
      table{border-collapse:collapse;margin:.8em 0;font-size:.9em}
      th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
      th{background:#f4f4f4} td.num{text-align:right;font-variant-numeric:tabular-nums}
      tr.best td{background:#fff4e5} tr.alert td{background:#fdecea}
      .alert{color:#d62728;font-weight:bold} .ok{color:#2ca02c;font-weight:bold}
      img{display:block;margin:.6em 0;max-width:100%} .row{display:flex;flex-wrap:wrap;gap:1em}
      """;

  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlPage(String title, String subtitle) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
    body.append("<p class=\"sub\">").append(escape(subtitle)).append("</p>\n");
  }

  public HtmlPage section(String heading) {
    body.append("<h2>").append(escape(heading)).append("</h2>\n");
    return this;
  }

  public HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  public HtmlPage note(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /**
   * A sentence with one highlighted verdict, e.g. "Gate: " + "promoted" (ok) or "rejected" (alert).
   */
  public HtmlPage verdict(String lead, String verdict, boolean ok, String rest) {
    body.append("<p>")
        .append(escape(lead))
        .append("<span class=\"")
        .append(ok ? "ok" : "alert")
        .append("\">")
        .append(escape(verdict))
        .append("</span>")
        .append(escape(rest))
        .append("</p>\n");
    return this;
  }

  /**
   * A table; cells that look like numbers align right. {@code rowClasses} (or null) marks rows
   * "best" or "alert".
   */
  public HtmlPage table(List<String> header, List<List<String>> rows, List<String> rowClasses) {
    body.append("<table>\n<tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (int i = 0; i < rows.size(); i++) {
      String css = rowClasses == null ? null : rowClasses.get(i);
      body.append(css == null ? "<tr>" : "<tr class=\"" + css + "\">");
      for (String cell : rows.get(i)) {
        boolean numeric = cell != null && cell.matches("[-+]?[0-9][0-9.,eE+-]*( ± [0-9.eE+-]+)?");
        body.append(numeric ? "<td class=\"num\">" : "<td>")
            .append(escape(cell == null ? "" : cell))
            .append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  /** Charts side by side (they wrap on narrow screens). */
  public HtmlPage images(List<Chart> charts) {
    body.append("<div class=\"row\">\n");
    for (Chart chart : charts) {
      body.append("<img alt=\"")
          .append(escape(chart.alt()))
          .append("\" src=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(chart.png()))
          .append("\">\n");
    }
    body.append("</div>\n");
    return this;
  }

  /** A chart and the sentence a screen reader (or a text-only mail client) shows instead. */
  public record Chart(String alt, byte[] png) {}

  public String html() {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
        + escape(title)
        + "</title>\n<style>"
        + STYLE
        + "</style></head>\n<body>\n"
        + body
        + "</body></html>\n";
  }

  /** Writes the page to {@code file} (parent directories created), replacing it atomically. */
  public Path write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(temporary, html(), StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report " + file + ": " + e.getMessage(), e);
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
