package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.lookup.SqlServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sql-server [--port P]}: Spark's Thrift (HiveServer2) JDBC server over the warehouse
 * catalog.
 */
@Command(
    name = "sql-server",
    description =
        "Spark Thrift (HiveServer2) JDBC server over the warehouse catalog, for BI tools and JDBC clients.")
final class SqlServerCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Option(
      names = "--port",
      paramLabel = "P",
      description = "Port (default: ${DEFAULT-VALUE}).",
      defaultValue = "10000")
  int port;

  @Mixin BindOption bind;

  @Option(
      names = "--rediscover",
      paramLabel = "SECONDS",
      description =
          "With metastore: in-memory, how often to register tables and views created since the start; 0 never"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "60")
  int rediscoverSeconds;

  @Override
  public Integer call() {
    BindOption.port(port);
    ConfigException.check(
        rediscoverSeconds >= 0,
        "Invalid --rediscover '%d': use 0 (never) or more seconds.",
        rediscoverSeconds);
    var out = cli.spec.commandLine().getOut();
    SqlServer server =
        SqlServer.start(
            cli.context().warehouse(), bind.address, port, Duration.ofSeconds(rediscoverSeconds));
    out.printf("SQL server listening: %s (Ctrl-C stops)%n", server.url());
    out.flush();
    UntilStopped.await(server, out, "sql-server");
    return ExitCodes.OK;
  }
}
