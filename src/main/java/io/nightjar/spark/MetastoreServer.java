package io.nightjar.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.derby.drda.NetworkServerControl;
import org.apache.derby.jdbc.ClientDriver;
import org.apache.derby.jdbc.EmbeddedDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Derby's network server on {@code 127.0.0.1:port}, which holds the shared Hive metastore of every
 * local Nightjar process (embedded Derby admits one process per database; the network server admits
 * any number). {@link #ensureRunning} starts it on demand as a detached JVM that outlives the
 * process that started it, so the launcher, child JVMs and tests need nothing started by hand; two
 * processes racing to start it both end up connected (the loser's server cannot bind the port and
 * exits). One server serves many warehouses: each warehouse's database is addressed by its absolute
 * path.
 */
public final class MetastoreServer {
  /** Loopback only: the server authenticates nobody. */
  public static final String HOST = "127.0.0.1";

  private static final long START_TIMEOUT_MILLIS = 90_000;
  private static final Logger LOG = LoggerFactory.getLogger(MetastoreServer.class);

  private MetastoreServer() {}

  /** True when a Derby network server answers on {@code port}. */
  public static boolean isRunning(int port) {
    try {
      control(port).ping();
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * Returns once a server answers on {@code port}, starting one when none does.
   *
   * @throws IllegalStateException when no server answers within 90 s (the message names the
   *     server's log)
   */
  public static void ensureRunning(int port) {
    if (isRunning(port)) {
      return;
    }
    Path log = logDirectory(port).resolve("server.log");
    Process process = spawn(port, log);
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (isRunning(port)) {
        return;
      }
      // A server that could not bind (another process's won the race) exits; keep waiting for the
      // winner.
      sleep(process.isAlive() ? 200 : 500);
    }
    throw new IllegalStateException(
        String.format(
            "Cannot start the metastore's Derby network server on %s:%d within %d s; see its log %s, or set"
                + " 'metastore.port' to a free port.",
            HOST, port, START_TIMEOUT_MILLIS / 1000, log));
  }

  /**
   * Makes the server let go of the metastore database of {@code warehouse} when its files are gone.
   * The server keeps a database open after its last client leaves, so a warehouse deleted to start
   * afresh ({@code rm -r warehouse}) would otherwise meet the server's open handle on files that no
   * longer exist ("Container ... not found") instead of a new database. A database that is not
   * open, or still on disk, is left alone. When the deleted database cannot be shut down (a process
   * used it after its files were deleted and left it broken), the server is restarted: the one way
   * to drop it, at the cost of the connections other processes hold to it at that moment.
   */
  public static void releaseIfDeleted(int port, String warehouse) {
    Path database = Path.of(databasePath(warehouse));
    if (isWhole(database)) {
      return;
    }
    try {
      Files.createDirectories(database.getParent());
      // One process at a time: two that found the database gone must not shut down or delete what
      // the other creates.
      try (FileChannel channel =
              FileChannel.open(
                  database.getParent().resolve("release.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!isWhole(database)) {
          release(port, database);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot lock " + database.getParent().resolve("release.lock"), e);
    }
  }

  /**
   * A Derby database is whole once its service.properties exists; a directory without it is what a
   * delete left.
   */
  private static boolean isWhole(Path database) {
    return Files.exists(database.resolve("service.properties"));
  }

  private static void release(int port, Path database) {
    String url = "jdbc:derby://" + HOST + ":" + port + "/" + database + ";shutdown=true";
    try (Connection ignored = new ClientDriver().connect(url, new Properties())) {
      // Derby answers a shutdown with an exception, never with a connection.
    } catch (SQLException e) {
      // 08006: the open database was shut down; XJ004, or 08004 "was not found" for a directory
      // that never existed (a new warehouse): it was not open. Either way the next connection
      // creates it.
      boolean neverCreated =
          "08004".equals(e.getSQLState())
              && !Files.exists(database)
              && String.valueOf(e.getMessage()).contains("not found");
      if (!"08006".equals(e.getSQLState()) && !"XJ004".equals(e.getSQLState()) && !neverCreated) {
        LOG.warn(
            "The metastore's Derby server held the deleted database {} in a state it cannot shut down ({});"
                + " restarting the server on port {}",
            database,
            e.getSQLState(),
            port);
        restart(port);
      }
    }
    // A shutdown checkpoints into the deleted directory and leaves files that are not a database;
    // Derby refuses to create one over them.
    deleteRecursively(database);
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot remove the broken metastore directory " + root, e);
    }
  }

  private static void restart(int port) {
    try {
      shutdown(port);
    } catch (Exception e) {
      throw new IllegalStateException(
          String.format(
              "Cannot restart the metastore's Derby network server on %s:%d (%s); stop it (see docs/operations.md) and"
                  + " run the command again.",
              HOST, port, e.getMessage()),
          e);
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (isRunning(port) && System.currentTimeMillis() < deadline) {
      sleep(200);
    }
    ensureRunning(port);
  }

  /** Shuts the server on {@code port} down (it closes every metastore database it holds). */
  public static void shutdown(int port) throws Exception {
    control(port).shutdown();
  }

  /**
   * The JDBC URL of the metastore database of {@code warehouse} (a local path or {@code file:}
   * URI), created on first connection.
   */
  public static String connectionUrl(int port, String warehouse) {
    return "jdbc:derby://" + HOST + ":" + port + "/" + databasePath(warehouse) + ";create=true";
  }

  /**
   * Where the metastore database of {@code warehouse} lives: {@code
   * <warehouse>/_nightjar/metastore_db}.
   */
  public static String databasePath(String warehouse) {
    return localPath(warehouse).resolve("_nightjar").resolve("metastore_db").toString();
  }

  /** The server's working directory: its {@code server.log} (console) and {@code derby.log}. */
  public static Path logDirectory(int port) {
    return Path.of(System.getProperty("java.io.tmpdir"), "nightjar-metastore-" + port);
  }

  static Path localPath(String location) {
    return Path.of(location.replaceFirst("^file:(//)?", "")).toAbsolutePath().normalize();
  }

  private static NetworkServerControl control(int port) throws Exception {
    return new NetworkServerControl(InetAddress.getByName(HOST), port);
  }

  private static Process spawn(int port, Path log) {
    try {
      Files.createDirectories(log.getParent());
      List<String> command = new ArrayList<>();
      // setsid puts the server in its own session, so that Ctrl-C in the terminal that started it
      // does not stop it.
      if (new File("/usr/bin/setsid").canExecute()) {
        command.add("/usr/bin/setsid");
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(
          List.of(
              "-Xmx256m",
              "-Dderby.system.home=" + log.getParent(),
              "-cp",
              jarOf(NetworkServerControl.class) + File.pathSeparator + jarOf(EmbeddedDriver.class),
              NetworkServerControl.class.getName(),
              "start",
              "-h",
              HOST,
              "-p",
              Integer.toString(port),
              // Derby's default security policy would confine the databases to derby.system.home.
              "-noSecurityManager"));
      return new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the metastore's Derby network server (log " + log + ")", e);
    }
  }

  private static String jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Cannot locate the jar of " + type.getName(), e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "Interrupted while waiting for the metastore's Derby network server", e);
    }
  }
}
