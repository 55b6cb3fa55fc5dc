package io.nightjar.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.ConfigException;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql-server}: the Thrift server in this JVM, over the in-memory catalog, queried with
 * Hive's JDBC driver.
 */
class SqlServerTest {
  private static final String DB = "sql_server_test";
  private static final LocalDate DAY = LocalDate.of(2024, 6, 30);

  @TempDir static Path dir;
  static SqlServer server;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    JobContext context = TestSpark.contextWithDatabase(dir, DB);
    PredictionRows preds =
        new PredictionRows(context, "preds_sql", Task.REGRESSION, DataTypes.LongType);
    Instant now = Instant.now();
    preds.write("m", 1, DAY, 0, 30, id -> (double) id, now, Duration.ofDays(3));
    preds.write("m", 2, DAY.plusDays(1), 0, 20, id -> id * 10.0, now, Duration.ofDays(3));
    // A table written by another process: the start's discovery registers it without its schema.
    context
        .spark()
        .sql("SELECT id, 'x' AS label FROM range(2)")
        .write()
        .format("delta")
        .save(context.warehouse().location(new TableName(DB, "by_path")));
    context.warehouse().discover();
    port = freePort();
    server = SqlServer.start(context.warehouse(), "127.0.0.1", port, Duration.ZERO);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void jdbcClientsQueryTheCurrentViewById() throws Exception {
    assertThat(server.url()).isEqualTo("jdbc:hive2://127.0.0.1:" + port + "/default");
    try (Connection connection = DriverManager.getConnection(server.url());
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT prediction, model_version, score_date, is_fresh FROM "
                    + DB
                    + ".preds_sql_current"
                    + " WHERE id = ?")) {
      query.setLong(1, 7);
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getDouble("prediction")).isEqualTo(70.0);
        assertThat(rows.getInt("model_version")).isEqualTo(2);
        assertThat(rows.getDate("score_date").toLocalDate()).isEqualTo(DAY.plusDays(1));
        assertThat(rows.getBoolean("is_fresh")).isTrue();
        assertThat(rows.next()).isFalse();
      }
      // An entity the later run did not score keeps its older row.
      query.setLong(1, 25);
      try (ResultSet rows = query.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getDouble("prediction")).isEqualTo(25.0);
        assertThat(rows.getInt("model_version")).isEqualTo(1);
      }
    }
    // Derby (the execution Hive client) leaves nothing in the working directory.
    assertThat(Path.of("metastore_db")).doesNotExist();
    assertThat(Path.of("derby.log")).doesNotExist();
  }

  @Test
  void jdbcClientsQueryATableFoundAtStart() throws Exception {
    try (Connection connection = DriverManager.getConnection(server.url());
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT count(*), max(label) FROM " + DB + ".by_path")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).isEqualTo(2);
      assertThat(rows.getString(2)).isEqualTo("x");
    }
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    }
    Optional<InetAddress> other = nonLoopbackAddress();
    if (other.isPresent()) {
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(other.get(), port), 2000);
                }
              })
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void aTakenPortIsAConfigError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int busy = taken.getLocalPort();
      assertThatThrownBy(() -> SqlServer.start(null, "127.0.0.1", busy, Duration.ZERO))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("Cannot start the SQL server on 127.0.0.1:" + busy + ": ")
          .hasMessageEndingWith("; pass another --port or --bind.");
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return Optional.of(address);
          }
        }
      }
    }
    return Optional.empty();
  }
}
