package io.nightjar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Source rules the formatter does not cover. A class is named by its import, not by its fully
 * qualified name in the code, unless its simple name is taken by another import or a class of the
 * file (then the qualified name tells the two apart); Spark's SQL functions are imported too.
 */
class SourceRulesTest {
  private static final Pattern QUALIFIED =
      Pattern.compile(
          "(?<![\\w.])((?:java|javax|org|io|com|scala|ml)(?:\\.[a-z][a-z0-9_]*)+)\\.([A-Z]\\w*)(?![\\w$])");

  /** Spark's {@code functions} is a Scala object with a lower-case name: import its methods. */
  private static final Pattern SPARK_FUNCTION =
      Pattern.compile("(?<![\\w.])org\\.apache\\.spark\\.sql\\.functions\\.(\\w+)");

  private static final Pattern IMPORT =
      Pattern.compile("(?m)^import (?!static )([\\w.]+)\\.(\\w+);");
  private static final Pattern DECLARED =
      Pattern.compile("\\b(?:class|interface|record|enum)\\s+([A-Z]\\w*)");

  @Test
  void classesAreNamedByTheirImportNotInline() throws IOException {
    List<String> inline = new ArrayList<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          inline.addAll(inlineNames(file));
        }
      }
    }
    assertThat(inline).as("fully qualified names in code; import them instead").isEmpty();
  }

  private static List<String> inlineNames(Path file) throws IOException {
    String source = Files.readString(file);
    Map<String, String> imported = new HashMap<>();
    Matcher imports = IMPORT.matcher(source);
    while (imports.find()) {
      imported.put(imports.group(2), imports.group(1) + "." + imports.group(2));
    }
    Matcher declarations = DECLARED.matcher(source);
    while (declarations.find()) {
      imported.putIfAbsent(declarations.group(1), "(declared in " + file.getFileName() + ")");
    }
    List<String> found = new ArrayList<>();
    Matcher qualified = QUALIFIED.matcher(codeOnly(source));
    while (qualified.find()) {
      String name = qualified.group(1) + "." + qualified.group(2);
      String taken = imported.get(qualified.group(2));
      if (taken == null || taken.equals(name)) {
        found.add(file + ": " + name);
      }
    }
    Matcher function = SPARK_FUNCTION.matcher(codeOnly(source));
    while (function.find()) {
      found.add(file + ": " + function.group());
    }
    return found;
  }

  /**
   * The source with comments, string and character literals, package and import lines blanked out.
   */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      boolean lineStart = i == 0 || source.charAt(i - 1) == '\n';
      if (source.startsWith("//", i)
          || (lineStart && (source.startsWith("import ", i) || source.startsWith("package ", i)))) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end;
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        out.append(' ');
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = end < 0 ? source.length() : end + 3;
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < source.length() && source.charAt(j) != c) {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = j + 1;
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
