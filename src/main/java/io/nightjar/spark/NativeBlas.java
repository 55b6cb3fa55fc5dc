package io.nightjar.spark;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which BLAS Spark's linear algebra ({@code dev.ludovic.netlib}) uses in this JVM, and whether its
 * thread count is safe. A multi-threaded native BLAS (Debian's pthread OpenBLAS as {@code
 * libblas.so.3}) crashes linear fits inside Spark's task threads with SIGSEGV and no error file;
 * the launchers set {@code OPENBLAS_NUM_THREADS=1} (jobs/bin/native-blas.sh), and this class warns
 * those who run the jar with their own {@code spark-submit}.
 *
 * <p>It warns rather than forcing the Java BLAS: netlib 3.0.3 has no switch for that, only a
 * library name ({@code dev.ludovic.netlib.blas.nativeLib}) that a wrong value turns into a failed
 * load with a warning of its own, and that would silently take away a native BLAS an admin set up
 * on purpose. A thread count already set is never changed: a JVM cannot change its own environment,
 * and OpenBLAS reads it once, when it is loaded.
 *
 * @param implementation netlib's BLAS class, e.g. {@code JNIBLAS} (native) or {@code Java11BLAS}
 * @param isNative whether that class calls a native library
 * @param libraries the native BLAS libraries mapped into this JVM (empty for a Java BLAS)
 */
public record NativeBlas(String implementation, boolean isNative, List<String> libraries) {
  /** Where docs/operations.md explains the setting. */
  public static final String DOCS = "docs/operations.md#native-blas";

  static final String OPENBLAS_THREADS = "OPENBLAS_NUM_THREADS";
  static final String MKL_THREADS = "MKL_NUM_THREADS";

  /**
   * netlib logs its fallbacks ("Failed to load implementation from ...VectorBLAS", normal without
   * the incubator module) through java.util.logging, which prints raw to stderr until Spark bridges
   * it to log4j; keep them quiet, as conf/log4j2.properties does once bridged. A static reference:
   * JUL holds its loggers weakly.
   */
  private static final Logger NETLIB_LOG = Logger.getLogger("dev.ludovic.netlib");

  public NativeBlas {
    libraries = List.copyOf(libraries);
  }

  /**
   * The BLAS of this JVM. Loads netlib's BLAS (and the native library it finds) as Spark's first
   * use would.
   */
  public static NativeBlas inThisJvm() {
    NETLIB_LOG.setLevel(Level.SEVERE);
    BLAS blas = BLAS.getInstance();
    return new NativeBlas(
        blas.getClass().getSimpleName(), blas instanceof NativeBLAS, mappedBlasLibraries());
  }

  /** The thread variable that governs this BLAS: MKL's for MKL, else OpenBLAS's. */
  String threadVariable() {
    return libraries.stream().anyMatch(lib -> lib.contains("mkl")) ? MKL_THREADS : OPENBLAS_THREADS;
  }

  /**
   * One line for {@code --version}, e.g. {@code BLAS: native
   * (/usr/lib/.../libopenblasp-r0.3.21.so), ...}.
   */
  public String describe(UnaryOperator<String> env) {
    if (!isNative) {
      return "BLAS: Java (" + implementation + ")";
    }
    String variable = threadVariable();
    return String.format(
        "BLAS: native (%s), %s=%s",
        String.join(", ", libraries),
        variable,
        Optional.ofNullable(env.apply(variable)).orElse("unset"));
  }

  /**
   * The one warning to print at start-up, if any: for this JVM when it runs a native BLAS with a
   * thread count other than 1; else, under {@code spark-submit} with a non-local master, when the
   * executors get no thread count ({@code spark-submit} hands its settings to the driver as system
   * properties).
   */
  public Optional<String> warning(UnaryOperator<String> env, UnaryOperator<String> sparkProperty) {
    String variable = threadVariable();
    String threads = env.apply(variable);
    if (isNative && !"1".equals(threads)) {
      return Optional.of(
          String.format(
              "Warning: Spark's BLAS is native (%s) and %s is %s: a multi-threaded native BLAS can crash Spark tasks "
                  + "(SIGSEGV, exit 139); set %s=1 for the driver and through spark.executorEnv.%s=1 (see %s).",
              String.join(", ", libraries),
              variable,
              threads == null ? "unset" : "'" + threads + "'",
              variable,
              variable,
              DOCS));
    }
    String master = sparkProperty.apply("spark.master");
    if (master != null
        && !master.startsWith("local")
        && sparkProperty.apply("spark.executorEnv." + variable) == null) {
      return Optional.of(
          String.format(
              "Warning: spark.executorEnv.%s is not set: executors on a machine with a multi-threaded native BLAS can "
                  + "crash (SIGSEGV); pass --conf spark.executorEnv.%s=1 or use jobs/submit.sh (see %s).",
              variable, variable, DOCS));
    }
    return Optional.empty();
  }

  /**
   * The BLAS/LAPACK libraries in /proc/self/maps, netlib's own JNI shim left out; empty where there
   * is none.
   */
  private static List<String> mappedBlasLibraries() {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream()
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(path -> path.startsWith("/"))
          .filter(
              path -> {
                String name = Path.of(path).getFileName().toString();
                return (name.contains("blas") || name.contains("mkl"))
                    && !name.startsWith("libnetlib");
              })
          .distinct()
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of(); // not Linux: the class name still says native or Java
    }
  }
}
