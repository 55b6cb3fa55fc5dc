package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * {@code --port P --bind ADDRESS}: where a server listens; loopback unless the user asks for more.
 * Each server command creates it with its own default port.
 */
final class ListenOptions {
  static final String LOOPBACK = "127.0.0.1";

  @Option(names = "--port", paramLabel = "P", description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}). Nothing authenticates clients: keep loopback"
              + " unless the network in front of it does.",
      defaultValue = LOOPBACK)
  String address;

  /** For picocli, which sets the fields from the command line. */
  ListenOptions() {}

  ListenOptions(int defaultPort) {
    this.port = defaultPort;
  }

  /**
   * The port given with {@code --port} (or the default).
   *
   * @throws ConfigException when it is not a port number
   */
  int port() {
    ConfigException.check(
        port >= 1 && port <= 65535, "Invalid --port '%d': use a port from 1 to 65535.", port);
    return port;
  }
}
