package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * {@code --bind ADDRESS}: the address a server listens on; loopback unless the user asks for more.
 */
final class BindOption {
  static final String LOOPBACK = "127.0.0.1";

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (default: ${DEFAULT-VALUE}). Nothing authenticates clients: keep loopback"
              + " unless the network in front of it does.",
      defaultValue = LOOPBACK)
  String address;

  /** Checks a port number given with {@code --port}. */
  static int port(int port) {
    ConfigException.check(
        port >= 1 && port <= 65535, "Invalid --port '%d': use a port from 1 to 65535.", port);
    return port;
  }
}
