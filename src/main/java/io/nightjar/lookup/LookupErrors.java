package io.nightjar.lookup;

import io.nightjar.config.ConfigException;
import java.io.IOException;

/** The user errors of the servers, built in one place. */
final class LookupErrors {
  private LookupErrors() {}

  /**
   * A server cannot listen on {@code bind:port} (e.g. the port is taken); the message names the
   * options that fix it. {@code action} says what could not be done, e.g. "serve".
   */
  static ConfigException cannotListen(String action, String bind, int port, IOException cause) {
    return new ConfigException(
        String.format(
            "Cannot %s on %s:%d: %s; pass another --port or --bind.",
            action, bind, port, cause.getMessage()),
        cause);
  }
}
