package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The scripts that run Nightjar elsewhere build command lines the CLI accepts (no Spark needed).
 */
class DeploymentScriptsTest {
  @TempDir Path dir;

  private static String run(File workDir, Map<String, String> env, String... command)
      throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(workDir).redirectErrorStream(true);
    // The BLAS thread variables come from the test's env map only (the build sets them for the test
    // JVMs).
    builder.environment().remove("OPENBLAS_NUM_THREADS");
    builder.environment().remove("MKL_NUM_THREADS");
    builder.environment().remove("SPARK_CONF_DIR");
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void everyCommandOfTheAirflowDagIsAcceptedByTheCli() throws Exception {
    String json =
        run(
            new File("."),
            Map.of(),
            "python3",
            "jobs/airflow/nightjar_commands.py",
            "conf/models",
            "2026-11-24");
    List<List<String>> commands = new ObjectMapper().readValue(json, new TypeReference<>() {});
    assertThat(commands).hasSize(4);
    assertThat(commands.get(0))
        .containsExactly(
            "nightly", "--model", "conf/models/demo_classification.yaml", "--date", "2026-11-24");
    for (List<String> argv : commands) {
      // Parsing checks the command, its options and their values exist as the DAG spells them.
      CommandLine.ParseResult parsed =
          new CommandLine(new NightjarCli()).parseArgs(argv.toArray(String[]::new));
      assertThat(parsed.subcommand()).as(String.join(" ", argv)).isNotNull();
      assertThat(parsed.subcommand().unmatched()).isEmpty();
    }
  }

  @Test
  void theAirflowDagsSettingsPassItsAstTest() throws Exception {
    // Reads the DAG with Python's ast: status runs whatever nightly did, a degraded night (exit 4)
    // is skipped and not retried, timeouts follow the specs' train deadlines, Airflow 3 and 2
    // imports,
    // no Variable.get at parse time.
    String out = run(new File("."), Map.of(), "python3", "src/test/python/test_nightjar_dag.py");
    assertThat(out).contains("OK");
  }

  /** A spark-submit that prints its arguments, then the BLAS variables of its environment. */
  private Path fakeSparkSubmit() throws Exception {
    Path fake = dir.resolve("spark-submit");
    Files.writeString(
        fake,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\""
            + " \"env:OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS\" \"env:MKL_NUM_THREADS=$MKL_NUM_THREADS\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    return fake;
  }

  @Test
  void submitShGivesDriverExecutorsAndClusterDriversOneBlasThreadUnlessSetAlready()
      throws Exception {
    Path fake = fakeSparkSubmit();
    Path jar = Files.writeString(dir.resolve("app.jar"), "not a real jar");
    Map<String, String> env =
        Map.of("SPARK_SUBMIT", fake.toString(), "NIGHTJAR_JAR", jar.toString());
    List<String> plain =
        run(new File("."), env, "jobs/submit.sh", "status", "--model", "m").lines().toList();
    for (String variable : List.of("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
      assertThat(plain).contains("env:" + variable + "=1");
      for (String prefix :
          List.of(
              "spark.executorEnv.", "spark.yarn.appMasterEnv.", "spark.kubernetes.driverEnv.")) {
        assertThat(plain).containsSequence("--conf", prefix + variable + "=1");
      }
    }

    // A value set in the environment, in the options or in spark-defaults.conf is kept, never
    // overridden.
    Path sparkConf = Files.createDirectories(dir.resolve("spark-conf"));
    Files.writeString(
        sparkConf.resolve("spark-defaults.conf"), "spark.executorEnv.MKL_NUM_THREADS  2\n");
    Map<String, String> userEnv = new HashMap<>(env);
    userEnv.putAll(Map.of("OPENBLAS_NUM_THREADS", "4", "SPARK_CONF_DIR", sparkConf.toString()));
    List<String> kept =
        run(
                new File("."),
                userEnv,
                "jobs/submit.sh",
                "--conf",
                "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=3",
                "--",
                "status",
                "--model",
                "m")
            .lines()
            .toList();
    assertThat(kept)
        .contains(
            "env:OPENBLAS_NUM_THREADS=4",
            "spark.executorEnv.OPENBLAS_NUM_THREADS=4",
            "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS=3",
            "spark.kubernetes.driverEnv.MKL_NUM_THREADS=1");
    assertThat(kept)
        .filteredOn(arg -> arg.startsWith("spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS="))
        .hasSize(1);
    assertThat(kept).noneMatch(arg -> arg.startsWith("spark.executorEnv.MKL_NUM_THREADS="));
  }

  @Test
  void submitShPassesTheJarClassOpensDeltaAndArgumentsToSparkSubmit() throws Exception {
    Path fake = dir.resolve("spark-submit");
    Files.writeString(fake, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = Files.writeString(dir.resolve("app.jar"), "not a real jar");
    String out =
        run(
            new File("."),
            Map.of("SPARK_SUBMIT", fake.toString(), "NIGHTJAR_JAR", jar.toString()),
            "jobs/submit.sh",
            "--master",
            "yarn",
            "--num-executors",
            "4",
            "--",
            "nightly",
            "--model",
            "conf/models/demo_regression.yaml",
            "--date",
            "2026-11-24");
    List<String> args = out.lines().toList();
    assertThat(args)
        .containsSequence("--master", "yarn")
        .containsSequence("--num-executors", "4")
        .containsSequence("--class", "io.nightjar.cli.NightjarCli")
        .contains("spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension")
        .containsSequence(jar.toString(), "--conf-file");
    assertThat(args).filteredOn("--master"::equals).hasSize(1);
    assertThat(args.get(args.indexOf("--driver-java-options") + 1))
        .contains("--add-opens=java.base/sun.nio.ch");
    assertThat(args.subList(args.size() - 5, args.size()))
        .containsExactly(
            "nightly", "--model", "conf/models/demo_regression.yaml", "--date", "2026-11-24");
  }
}
