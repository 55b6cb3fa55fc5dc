package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: with a native BLAS that runs its own thread pool (Debian's libopenblas0-pthread as
 * libblas.so.3, which CI installs), every linear loss fits about 40,400 rows with 20 features in a
 * child JVM started as the launcher starts one: its environment goes through
 * jobs/bin/native-blas.sh with no BLAS thread count of its own (the test JVM's, set by the build,
 * is removed), so the script's default is what keeps the fits alive. Without it, the child died
 * with SIGSEGV (exit 139) in the first huber fit. Each loss is fitted as {@code train} refits its
 * winner (see {@link LinearLossRuns}). On a machine without a native BLAS the test still runs the
 * fits.
 */
class LinearLossesNativeBlasTest {
  private static final long ROWS =
      45_000; // about 90% of them (a seeded random holdout), 40,359, go to each refit
  // Far above the fits' time on an idle 2-core machine (see docs/benchmarks.md), for a machine busy
  // with other work.
  private static final int TIMEOUT_SECONDS = 900;

  @TempDir Path dir;

  @Test
  void everyLinearLossFitsFortyThousandRowsInALauncherStartedJvm() throws Exception {
    Path log = dir.resolve("child.log");
    Process child =
        launcherLike(
                log,
                LinearLossRuns.class.getName(),
                dir.resolve("run").toString(),
                Long.toString(ROWS))
            .start();
    int code;
    try {
      code = ChildCli.finish(child, log, TIMEOUT_SECONDS);
    } finally {
      child
          .destroyForcibly(); // a child that timed out must not go on using the machine's two cores
    }
    String output = ChildCli.read(log);
    assertThat(code).as(output).isZero();
    assertThat(output).contains("BLAS: ");
    for (LinearLossRuns.Fit fit : LinearLossRuns.FITS) {
      assertThat(output)
          .as(output)
          .containsPattern("loss " + fit.name() + " seconds [0-9.]+ rows 4[0-9]{4} holdout \\{.+=");
    }
  }

  /**
   * {@code java} with the launcher's JVM options (the --add-opens list) and the test class path,
   * started through {@code bash -c 'source jobs/bin/native-blas.sh && exec java ...'} with no BLAS
   * variables in its environment.
   */
  private static ProcessBuilder launcherLike(Path log, String main, String... args)
      throws Exception {
    String opens = Files.readString(Path.of("target/classes/nightjar/java-opens.txt")).trim();
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                "source \"$0\" && exec \"$@\"",
                Path.of("jobs/bin/native-blas.sh").toAbsolutePath().toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(List.of(opens.split("\\s+")));
    // A smaller heap than the launcher's 4g: the child shares the machine with the test JVMs.
    command.addAll(
        List.of(
            "-Xmx2g",
            "-Dlog4j2.configurationFile=" + ChildCli.testLogging(),
            "-cp",
            System.getProperty("java.class.path"),
            main));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().remove("OPENBLAS_NUM_THREADS");
    builder.environment().remove("MKL_NUM_THREADS");
    return builder;
  }
}
