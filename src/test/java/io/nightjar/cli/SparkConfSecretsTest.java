package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestMetastore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials in the environment config's {@code spark.conf} (S3A keys, a JDBC password) configure
 * Spark and reach nothing a person or a log collector reads: not stdout, not stderr, not the log,
 * not even a failing run with {@code --verbose}, and not the output of SQL {@code SET}.
 */
class SparkConfSecretsTest {
  private static final String SECRET = "s3cr3t-Value-0f-the-S3A-key";
  private static final String ACCESS = "AKIA-ACCESS-Key-Id-42";
  private static final String PASSWORD = "pa55-Word-for-the-metastore";

  @TempDir static Path dir;
  static Path conf;

  @BeforeAll
  static void writeConfig() throws Exception {
    Files.createDirectories(dir.resolve("models"));
    conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark:
          master: "local[1]"
          conf:
            spark.sql.shuffle.partitions: "1"
            spark.hadoop.fs.s3a.access.key: "%s"
            spark.hadoop.fs.s3a.secret.key: "%s"
            spark.hadoop.javax.jdo.option.ConnectionPassword: "%s"
        warehouse: %s
        database: secrets_test
        artifacts: %s
        models: %s
        """
                .formatted(
                    ACCESS,
                    SECRET,
                    PASSWORD,
                    dir.resolve("warehouse"),
                    dir.resolve("artifacts"),
                    dir.resolve("models"))
            + TestMetastore.yaml());
  }

  /**
   * A fresh process (Spark starts with the secrets in its SparkConf) that fails after Spark
   * started, with stack traces on and every logger at INFO, more than the launcher's default
   * (warnings), as a user debugging a run would set it.
   */
  @Test
  void aFailingVerboseRunAtInfoLevelPrintsNoSecret() throws Exception {
    Path log4j = dir.resolve("log4j2-info.properties");
    Files.writeString(
        log4j,
        """
        rootLogger.level = info
        rootLogger.appenderRef.stderr.ref = stderr
        appender.stderr.type = Console
        appender.stderr.name = stderr
        appender.stderr.target = SYSTEM_ERR
        appender.stderr.layout.type = PatternLayout
        appender.stderr.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
        """);
    Path log = dir.resolve("verbose-failure.log");
    Process child =
        ChildCli.start(
            conf, log, log4j, "--verbose", "score", "--model", "ghost", "--date", "2024-05-02");
    int code = ChildCli.finish(child, log, 300);
    String output = ChildCli.read(log);
    // The run did what the test needs: Spark started and logged at INFO, and the failure came with
    // its stack trace.
    assertThat(code).as(output).isEqualTo(ExitCodes.USAGE);
    assertThat(output)
        .contains("Unknown model 'ghost'", "Running Spark version", "\tat io.nightjar.");
    assertNoSecretIn(output);
  }

  /**
   * {@code SET} lists the session's settings, and the warehouse's SQL is open to everyone who may
   * query it.
   */
  @Test
  void sqlSetShowsNoSecretValues() {
    for (String query : new String[] {"SET", "SET -v", "SET spark.hadoop.fs.s3a.secret.key"}) {
      ChildCli.Result result =
          ChildCli.runHere(conf, "sql", query, "--format", "csv", "--max-rows", "100000");
      assertThat(result.code()).as(query + ": " + result.err()).isZero();
      assertNoSecretIn(result.out() + result.err());
    }
    ChildCli.Result one = ChildCli.runHere(conf, "sql", "SET spark.hadoop.fs.s3a.secret.key");
    assertThat(one.out()).contains("spark.hadoop.fs.s3a.secret.key");
  }

  private static void assertNoSecretIn(String output) {
    assertThat(output).doesNotContain(SECRET).doesNotContain(ACCESS).doesNotContain(PASSWORD);
  }
}
