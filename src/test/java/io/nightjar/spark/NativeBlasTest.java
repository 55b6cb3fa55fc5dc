package io.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.cli.NightjarCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-up warning and the {@code --version} line about the BLAS Spark uses (no Spark needed).
 */
class NativeBlasTest {
  private static final NativeBlas OPENBLAS =
      new NativeBlas(
          "JNIBLAS",
          true,
          List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so"));
  private static final NativeBlas MKL =
      new NativeBlas("JNIBLAS", true, List.of("/opt/intel/lib/libmkl_rt.so.2"));
  private static final NativeBlas JAVA = new NativeBlas("Java11BLAS", false, List.of());
  private static final Map<String, String> NOT_SUBMITTED = Map.of();

  @Test
  void aNativeBlasWithoutOneThreadWarnsOnceNamingTheVariableAndTheDocs() {
    assertThat(OPENBLAS.warning(name -> null, NOT_SUBMITTED::get))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith(
                        "Warning: Spark's BLAS is native (/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp")
                    .contains("OPENBLAS_NUM_THREADS is unset")
                    .contains("set OPENBLAS_NUM_THREADS=1")
                    .contains("spark.executorEnv.OPENBLAS_NUM_THREADS=1")
                    .endsWith("(see docs/operations.md#native-blas)."));
    assertThat(OPENBLAS.warning(Map.of("OPENBLAS_NUM_THREADS", "4")::get, NOT_SUBMITTED::get))
        .hasValueSatisfying(line -> assertThat(line).contains("OPENBLAS_NUM_THREADS is '4'"));
    assertThat(MKL.warning(Map.of("OPENBLAS_NUM_THREADS", "1")::get, NOT_SUBMITTED::get))
        .hasValueSatisfying(line -> assertThat(line).contains("MKL_NUM_THREADS is unset"));
  }

  @Test
  void oneThreadOrAJavaBlasInALocalJvmNeedsNoWarning() {
    assertThat(OPENBLAS.warning(Map.of("OPENBLAS_NUM_THREADS", "1")::get, NOT_SUBMITTED::get))
        .isEmpty();
    assertThat(MKL.warning(Map.of("MKL_NUM_THREADS", "1")::get, NOT_SUBMITTED::get)).isEmpty();
    assertThat(JAVA.warning(name -> null, Map.of("spark.master", "local[*]")::get)).isEmpty();
  }

  @Test
  void aClusterDriverWarnsWhenExecutorsGetNoThreadCount() {
    Map<String, String> yarn = Map.of("spark.master", "yarn");
    assertThat(JAVA.warning(name -> null, yarn::get))
        .hasValue(
            "Warning: spark.executorEnv.OPENBLAS_NUM_THREADS is not set: executors on a machine with a multi-threaded"
                + " native BLAS can crash (SIGSEGV); pass --conf spark.executorEnv.OPENBLAS_NUM_THREADS=1 or use"
                + " jobs/submit.sh (see docs/operations.md#native-blas).");
    Map<String, String> withExecutorEnv =
        Map.of("spark.master", "yarn", "spark.executorEnv.OPENBLAS_NUM_THREADS", "1");
    assertThat(OPENBLAS.warning(Map.of("OPENBLAS_NUM_THREADS", "1")::get, withExecutorEnv::get))
        .isEmpty();
  }

  @Test
  void describeNamesTheLibraryAndItsThreadCount() {
    assertThat(OPENBLAS.describe(Map.of("OPENBLAS_NUM_THREADS", "1")::get))
        .isEqualTo(
            "BLAS: native (/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so), OPENBLAS_NUM_THREADS=1");
    assertThat(MKL.describe(name -> null))
        .isEqualTo("BLAS: native (/opt/intel/lib/libmkl_rt.so.2), MKL_NUM_THREADS=unset");
    assertThat(JAVA.describe(name -> null)).isEqualTo("BLAS: Java (Java11BLAS)");
  }

  @Test
  void versionPrintsNightjarsVersionAndTheBlasOfThisJvm() {
    StringWriter out = new StringWriter();
    int code =
        NightjarCli.run(
            new String[] {"--version"},
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter()));
    assertThat(code).isZero();
    String expected =
        NativeBlas.inThisJvm().isNative()
            ? "BLAS: native \\(/.+\\), (OPENBLAS|MKL)_NUM_THREADS=\\S+"
            : "BLAS: Java \\(\\w+\\)";
    assertThat(out.toString().lines().toList()).hasSize(2).last().asString().matches(expected);
  }
}
