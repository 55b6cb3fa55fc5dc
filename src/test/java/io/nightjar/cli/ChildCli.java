package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI the way a scheduler does, in a child JVM of its own (with the same {@code
 * --add-opens} list and class path as the tests), so that a test can SIGKILL it or read everything
 * it printed; and in this JVM, for cheap reruns on the shared test session.
 */
final class ChildCli {
  /** What an in-process CLI run printed and returned. */
  record Result(int code, String out, String err) {}

  private ChildCli() {}

  /**
   * Starts {@code nightjar --conf-file conf ARGS} in a child JVM; its stdout and stderr both go to
   * {@code log}, and {@code log4j} names the logging config it uses.
   */
  static Process start(Path conf, Path log, Path log4j, String... args) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command(conf, log4j, args))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /**
   * The command line of {@code nightjar --conf-file conf ARGS} in a child JVM with the tests'
   * {@code --add-opens} list and class path, logging with {@code log4j}.
   */
  static List<String> command(Path conf, Path log4j, String... args) throws Exception {
    String opens = Files.readString(Path.of("target/classes/nightjar/java-opens.txt")).trim();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(opens.split("\\s+")));
    // A small heap and few JIT threads: the child shares two cores with the test JVM.
    command.addAll(
        List.of(
            "-Xmx1g",
            "-XX:TieredStopAtLevel=1",
            "-Dlog4j2.configurationFile=" + log4j,
            "-cp",
            System.getProperty("java.class.path"),
            NightjarCli.class.getName(),
            "--conf-file",
            conf.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** The test logging config (warnings and errors). */
  static Path testLogging() {
    return Path.of("src/test/resources/log4j2-test.properties").toAbsolutePath();
  }

  /** Waits for a child to exit on its own and returns its exit code. */
  static int finish(Process child, Path log, int seconds) throws Exception {
    assertThat(child.waitFor(seconds, TimeUnit.SECONDS))
        .as("still running after %ds: %s", seconds, read(log))
        .isTrue();
    return child.exitValue();
  }

  /**
   * Waits until {@code marker} appears in {@code log}, then {@code delayMillis} more, and kills the
   * child with SIGKILL (the JVM gets no chance to clean up, as with the OOM killer or a lost node).
   * Returns false when the child exited before the kill (the test then knows the kill point was
   * missed).
   */
  static boolean killAfter(
      Process child, Path log, String marker, long delayMillis, int timeoutSeconds)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (child.isAlive() && !read(log).contains(marker)) {
      assertThat(System.nanoTime())
          .as("'%s' not printed within %ds: %s", marker, timeoutSeconds, read(log))
          .isLessThan(deadline);
      Thread.sleep(50);
    }
    if (delayMillis > 0) {
      Thread.sleep(delayMillis);
    }
    boolean wasAlive = child.isAlive();
    child.destroyForcibly(); // SIGKILL on Linux
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return wasAlive;
  }

  static String read(Path log) throws Exception {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Runs the CLI in this JVM (on the shared test session) and returns what it printed. */
  static Result runHere(Path conf, String... args) {
    // The shared test session (in-memory catalog) must exist first, or this run would create one
    // from conf.
    TestSpark.session();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--conf-file", conf.toString()));
    all.addAll(List.of(args));
    int code =
        NightjarCli.run(
            all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
