package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.lookup.SqlServer;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sql-server [--port P]}: Spark's Thrift (HiveServer2) JDBC server over the warehouse
 * catalog.
 */
@Command(
    name = "sql-server",
    description =
        "Spark Thrift (HiveServer2) JDBC server over the warehouse catalog, for BI tools and JDBC clients.")
final class SqlServerCommand extends Subcommand {
  @Mixin ListenOptions listen = new ListenOptions(10000);

  @Option(
      names = "--rediscover",
      paramLabel = "SECONDS",
      description =
          "With metastore: in-memory, how often to register tables and views created since the start; 0 never"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  int rediscoverSeconds;

  @Override
  int run(PrintWriter out) {
    int port = listen.port();
    ConfigException.check(
        rediscoverSeconds >= 0,
        "Invalid --rediscover '%d': use 0 (never) or more seconds.",
        rediscoverSeconds);
    SqlServer server =
        SqlServer.start(
            context().warehouse(), listen.address, port, Duration.ofSeconds(rediscoverSeconds));
    out.printf("SQL server listening: %s (Ctrl-C stops)%n", server.url());
    out.flush();
    UntilStopped.await(server, out, "sql-server");
    return ExitCodes.OK;
  }
}
