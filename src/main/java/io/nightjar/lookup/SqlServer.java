package io.nightjar.lookup;

import io.nightjar.config.ConfigException;
import io.nightjar.spark.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's Thrift (HiveServer2) JDBC server, in this process, over this process's session: JDBC
 * clients and BI tools see the same catalog as {@code sql}: the shared metastore by default, or the
 * in-memory catalog that {@link Warehouse#discover()} fills (and, with {@code rediscover},
 * refills). Its own execution Hive client keeps a Derby database in memory. No authentication: bind
 * to loopback (the default) unless the network in front of it authenticates.
 */
public final class SqlServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SqlServer.class);

  private final HiveThriftServer2 server;
  private final ScheduledExecutorService discovery;
  private final String url;

  private SqlServer(HiveThriftServer2 server, ScheduledExecutorService discovery, String url) {
    this.server = server;
    this.discovery = discovery;
    this.url = url;
  }

  /**
   * Starts the server on {@code bind:port}; with a non-zero {@code rediscover}, registers tables
   * and views that other processes created since (every {@code rediscover}).
   *
   * @throws ConfigException when the port cannot be bound
   */
  public static SqlServer start(Warehouse warehouse, String bind, int port, Duration rediscover) {
    requirePortFree(bind, port);
    SparkSession spark = warehouse.spark();
    keepDerbyLogOutOfWorkingDirectory();
    // newHadoopConf() copies the session's SQL settings into the HiveConf the server reads these
    // from.
    spark.conf().set("hive.server2.thrift.bind.host", bind);
    spark.conf().set("hive.server2.thrift.port", Integer.toString(port));
    spark.conf().set("hive.server2.transport.mode", "binary");
    spark.conf().set("hive.server2.enable.doAs", "false");
    HiveThriftServer2 server = HiveThriftServer2.startWithContext(spark.sqlContext());
    ScheduledExecutorService discovery = null;
    if (!rediscover.isZero()) {
      discovery =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "nightjar-sql-server-discover");
                t.setDaemon(true);
                return t;
              });
      discovery.scheduleWithFixedDelay(
          () -> {
            try {
              warehouse.discover();
            } catch (RuntimeException e) {
              LOG.warn("Rediscovering the warehouse failed; the catalog stays as it was", e);
            }
          },
          rediscover.toMillis(),
          rediscover.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return new SqlServer(server, discovery, jdbcUrl(bind, port));
  }

  /** {@code jdbc:hive2://HOST:PORT/default}. */
  public static String jdbcUrl(String bind, int port) {
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    return "jdbc:hive2://" + host + ":" + port + "/default";
  }

  public String url() {
    return url;
  }

  /** Stops the server and the rediscovery; the Spark session stays. */
  @Override
  public void close() {
    if (discovery != null) {
      discovery.shutdownNow();
    }
    server.stop();
  }

  /**
   * HiveServer2 binds in a background thread and only logs a taken port; check first so that the
   * user gets an error.
   */
  private static void requirePortFree(String bind, int port) {
    try (var socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(bind, port));
    } catch (IOException e) {
      throw LookupErrors.cannotListen("start the SQL server", bind, port, e);
    }
  }

  /**
   * The execution Hive client's Derby database lives in memory, but Derby writes its log,
   * derby.log, into the working directory unless told otherwise. (Setting derby.system.home instead
   * breaks Derby's in-memory URL.)
   */
  private static void keepDerbyLogOutOfWorkingDirectory() {
    if (System.getProperty("derby.stream.error.file") == null) {
      try {
        var log = Files.createTempFile("nightjar-derby", ".log");
        log.toFile().deleteOnExit();
        System.setProperty("derby.stream.error.file", log.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot create a temporary file for Derby's log", e);
      }
    }
  }
}
