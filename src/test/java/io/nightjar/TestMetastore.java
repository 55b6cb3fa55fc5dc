package io.nightjar;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.apache.derby.drda.NetworkServerControl;

/**
 * A Derby network server inside the test JVM, on a free port, for the child JVMs that run the CLI
 * on the shared metastore (the product's path): it dies with the test JVM, so no test leaves a
 * server running, and no test depends on port 1527 being free. The children find it running and
 * never start one of their own.
 */
public final class TestMetastore {
  private static int port;

  private TestMetastore() {}

  /** The server's port, starting it on first use. */
  public static synchronized int port() {
    if (port == 0) {
      port = start();
    }
    return port;
  }

  /** The environment config line that points a child at this server. */
  public static String yaml() {
    return "metastore: {port: " + port() + "}\n";
  }

  /** A port nothing listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int start() {
    try {
      if (System.getProperty("derby.stream.error.file") == null) {
        // Derby writes derby.log into the working directory unless told otherwise.
        var log = Files.createTempFile("nightjar-test-derby", ".log");
        log.toFile().deleteOnExit();
        System.setProperty("derby.stream.error.file", log.toString());
      }
      int free = freePort();
      NetworkServerControl server =
          new NetworkServerControl(InetAddress.getByName("127.0.0.1"), free);
      server.start(new PrintWriter(Writer.nullWriter()));
      long deadline = System.currentTimeMillis() + 60_000;
      while (true) {
        try {
          server.ping();
          break;
        } catch (Exception notYet) {
          if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(
                "The test metastore server did not answer on port " + free, notYet);
          }
          Thread.sleep(100);
        }
      }
      return free;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the test metastore server", e);
    }
  }
}
