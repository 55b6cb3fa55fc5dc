package io.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {
  private static final Path BASE = Path.of("/srv/nightjar");

  @Test
  void defaultsFollowTheSpec() {
    EnvironmentConfig env = EnvironmentConfig.parse("database: nightjar\n", "env.yaml", BASE);
    assertThat(env.sparkMaster()).isEqualTo("local[*]");
    assertThat(env.sparkConf()).isEqualTo(Map.of("spark.sql.shuffle.partitions", "8"));
    assertThat(env.warehouse()).isEqualTo("/srv/nightjar/warehouse");
    assertThat(env.artifacts()).isEqualTo("/srv/nightjar/warehouse/artifacts");
    assertThat(env.modelsDir()).isEqualTo(Path.of("/srv/nightjar/conf/models"));
    assertThat(env.reportsDir()).isEqualTo(Path.of("/srv/nightjar/reports"));
    assertThat(env.metastore()).isEqualTo(new MetastoreConfig(false, 1527));
    assertThat(env.serve()).isEqualTo(new ServeConfig(100_000, 1L << 30));
  }

  @Test
  void serveLimitsAreReadAndNamedWhenWrong() {
    EnvironmentConfig env =
        EnvironmentConfig.parse(
            "serve: {cache_entries: 500, features_memory: 256m}\n", "env.yaml", BASE);
    assertThat(env.serve()).isEqualTo(new ServeConfig(500, 256L << 20));
    assertThat(EnvironmentConfig.parse("serve: {cache_entries: 0}\n", "env.yaml", BASE).serve())
        .isEqualTo(new ServeConfig(0, 1L << 30));
    assertThatThrownBy(
            () -> EnvironmentConfig.parse("serve: {features_memory: lots}\n", "env.yaml", BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'serve.features_memory': 'lots'. Expected a size with a unit b, k, m"
                + " or g, e.g. 512m or 2g.");
    assertThatThrownBy(
            () -> EnvironmentConfig.parse("serve: {features_memory: 0}\n", "env.yaml", BASE))
        .hasMessageStartingWith("Invalid value for 'serve.features_memory': '0'.");
    assertThatThrownBy(
            () -> EnvironmentConfig.parse("serve: {cache_entries: -1}\n", "env.yaml", BASE))
        .hasMessage(
            "Invalid value for 'serve.cache_entries': '-1'. Expected a whole number from 0 to"
                + " 2147483647.");
    assertThatThrownBy(() -> EnvironmentConfig.parse("serve: {entries: 5}\n", "env.yaml", BASE))
        .hasMessage(
            "Unknown key 'serve.entries'. Valid keys here: cache_entries, features_memory.");
  }

  @Test
  void explicitValuesAndUrisAreKept() {
    EnvironmentConfig env =
        EnvironmentConfig.parse(
            """
            spark: {master: "local[2]", conf: {spark.sql.shuffle.partitions: "4", spark.executor.memory: 2g}}
            warehouse: s3a://bucket/warehouse
            database: ml
            artifacts: hdfs://nn/models
            models: specs
            reports: /var/www/nightjar
            metastore: in-memory
            """,
            "env.yaml",
            BASE);
    assertThat(env.sparkMaster()).isEqualTo("local[2]");
    assertThat(env.sparkConf())
        .isEqualTo(Map.of("spark.sql.shuffle.partitions", "4", "spark.executor.memory", "2g"));
    assertThat(env.warehouse()).isEqualTo("s3a://bucket/warehouse");
    assertThat(env.database()).isEqualTo("ml");
    assertThat(env.artifacts()).isEqualTo("hdfs://nn/models");
    assertThat(env.modelsDir()).isEqualTo(Path.of("/srv/nightjar/specs"));
    assertThat(env.reportsDir()).isEqualTo(Path.of("/var/www/nightjar"));
    assertThat(env.metastore().inMemory()).isTrue();
    assertThat(EnvironmentConfig.parse("metastore: {port: 1600}\n", "env.yaml", BASE).metastore())
        .isEqualTo(new MetastoreConfig(false, 1600));
  }

  @Test
  void badKeysAndValuesAreNamed() {
    assertThatThrownBy(() -> EnvironmentConfig.parse("warehous: /x\n", "env.yaml", BASE))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Unknown key 'warehous'. Valid keys here: spark, warehouse, database, artifacts, models, reports,"
                + " metastore, serve.");
    assertThatThrownBy(() -> EnvironmentConfig.parse("spark: {mastr: x}\n", "env.yaml", BASE))
        .hasMessage("Unknown key 'spark.mastr'. Valid keys here: master, conf.");
    assertThatThrownBy(() -> EnvironmentConfig.parse("database: my-db\n", "env.yaml", BASE))
        .hasMessageStartingWith("Invalid name for 'database': 'my-db'.");
    assertThatThrownBy(() -> EnvironmentConfig.parse("metastore: derby\n", "env.yaml", BASE))
        .hasMessage(
            "Invalid value for 'metastore': 'derby'. Expected 'in-memory' or a mapping such as {port: 1527}.");
    assertThatThrownBy(
            () -> EnvironmentConfig.parse("metastore: {port: 70000}\n", "env.yaml", BASE))
        .hasMessage(
            "Invalid value for 'metastore.port': '70000'. Expected a whole number from 1 to 65535.");
    assertThatThrownBy(() -> EnvironmentConfig.parse("metastore: {host: x}\n", "env.yaml", BASE))
        .hasMessage("Unknown key 'metastore.host'. Valid keys here: port.");
  }

  @Test
  void repositoryConfigIsValid() {
    EnvironmentConfig env = EnvironmentConfig.load(Path.of(EnvironmentConfig.DEFAULT_FILE));
    assertThat(env.database()).isEqualTo("nightjar");
  }
}
