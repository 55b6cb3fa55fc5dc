package io.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestMetastore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.derby.jdbc.ClientDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting the metastore's Derby network server on demand, as the launcher's processes do. */
class MetastoreServerTest {
  /**
   * Two processes (here two threads, each spawning a server as a process would) find no server and
   * start one at once: both return with a server answering, and one shutdown stops it (no server is
   * left behind).
   */
  @Test
  void twoStartsAtOnceBothEndUpConnectedToOneServer() throws Exception {
    int port = TestMetastore.freePort();
    assertThat(MetastoreServer.isRunning(port)).isFalse();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Boolean>> starts = new ArrayList<>();
      Callable<Boolean> start =
          () -> {
            MetastoreServer.ensureRunning(port);
            return MetastoreServer.isRunning(port);
          };
      starts.add(pool.submit(start));
      starts.add(pool.submit(start));
      for (Future<Boolean> result : starts) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
      stopEveryServerOn(port);
    }
    assertThat(MetastoreServer.isRunning(port)).isFalse();
    assertThat(MetastoreServer.logDirectory(port).resolve("server.log")).exists();
  }

  /**
   * The losing start may still be booting when the winner answers; it binds once the winner is
   * gone: stop it too.
   */
  private static void stopEveryServerOn(int port) throws Exception {
    for (int quietSeconds = 0; quietSeconds < 10; quietSeconds++) {
      if (MetastoreServer.isRunning(port)) {
        MetastoreServer.shutdown(port);
        quietSeconds = 0;
      }
      Thread.sleep(1000);
    }
  }

  /**
   * A user deletes the warehouse to start afresh while the server still holds its metastore
   * database open: the next process gets a new, working database instead of the server's stale
   * handle ("Container ... not found").
   */
  @Test
  void aWarehouseDeletedUnderTheServerGetsANewMetastore(@TempDir Path dir) throws Exception {
    int port = TestMetastore.port();
    String warehouse = dir.resolve("warehouse").toString();
    createTable(port, warehouse, "before_delete");
    deleteRecursively(dir.resolve("warehouse"));

    MetastoreServer.releaseIfDeleted(port, warehouse);

    // Only a new database lacks the table: the stale one still knows it from its cache, or fails on
    // its missing files.
    createTable(port, warehouse, "before_delete");
    assertThat(Path.of(MetastoreServer.databasePath(warehouse))).isDirectory();
  }

  /**
   * A new warehouse has no metastore database yet, and the server answers the release with "not
   * found": nothing is held, so the server keeps running (no restart, no warning) and the
   * connections of other warehouses survive.
   */
  @Test
  void aNewWarehouseLeavesTheServerAndItsConnectionsAlone(@TempDir Path dir) throws Exception {
    int port = TestMetastore.port();
    String other = dir.resolve("other").toString();
    createTable(port, other, "kept");
    try (Connection held =
            new ClientDriver()
                .connect(MetastoreServer.connectionUrl(port, other), new Properties());
        Statement statement = held.createStatement()) {
      MetastoreServer.releaseIfDeleted(port, dir.resolve("new").toString());

      // A restarted server would have closed this connection.
      assertThat(statement.executeQuery("SELECT count(*) FROM kept").next()).isTrue();
    }
  }

  private static void createTable(int port, String warehouse, String table) throws Exception {
    try (Connection connection =
            new ClientDriver()
                .connect(MetastoreServer.connectionUrl(port, warehouse), new Properties());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + table + " (id INT)");
      statement.execute("INSERT INTO " + table + " VALUES (1)");
    }
  }

  private static void deleteRecursively(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Test
  void theDatabaseOfAWarehouseIsAddressedByItsAbsolutePath() {
    assertThat(MetastoreServer.connectionUrl(1600, "/data/wh"))
        .isEqualTo("jdbc:derby://127.0.0.1:1600//data/wh/_nightjar/metastore_db;create=true");
    assertThat(MetastoreServer.connectionUrl(1600, "file:/data/wh/"))
        .isEqualTo("jdbc:derby://127.0.0.1:1600//data/wh/_nightjar/metastore_db;create=true");
  }
}
