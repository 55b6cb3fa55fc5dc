package io.nightjar.registry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The versions of the libraries really on the classpath, read from the Maven metadata inside their
 * jars (present in the launcher's classpath and in the shaded application jar alike); "unknown"
 * when a jar carries none.
 */
public final class Packages {
  private Packages() {}

  /** {@code java, spark, delta, xgboost, nightjar} and their versions. */
  public static Map<String, String> onClasspath() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("java", System.getProperty("java.version"));
    out.put("spark", maven("org.apache.spark", "spark-core_2.12"));
    out.put("delta", scalaVersionConstant("io.delta.package$"));
    out.put("xgboost", maven("ml.dmlc", "xgboost4j-spark_2.12"));
    out.put("nightjar", nightjarVersion());
    return out;
  }

  /**
   * Nightjar's version, from a resource the build writes (present in target/classes and in the
   * jars).
   */
  public static String nightjarVersion() {
    try (InputStream in =
        Packages.class.getClassLoader().getResourceAsStream("nightjar/version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * A Scala package object's {@code VERSION} (delta-spark keeps its version there, not in Maven
   * metadata).
   */
  static String scalaVersionConstant(String packageObject) {
    try {
      Class<?> type = Class.forName(packageObject);
      Object module = type.getField("MODULE$").get(null);
      return String.valueOf(type.getMethod("VERSION").invoke(module));
    } catch (ReflectiveOperationException | LinkageError e) {
      return "unknown";
    }
  }

  static String maven(String group, String artifact) {
    String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = Packages.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
