package io.nightjar.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;

/**
 * Blocks a long-running command ({@code serve}, {@code sql-server}) until the JVM is asked to stop
 * (SIGTERM, Ctrl-C), then closes what it serves from the shutdown hook so that requests in flight
 * finish.
 */
final class UntilStopped {
  private UntilStopped() {}

  static void await(AutoCloseable service, PrintWriter out, String what) {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                service.close();
                out.println(what + " stopped");
                out.flush();
              } catch (Exception e) {
                // The JVM is going down anyway; say so and let the other hooks run.
                out.println(what + " did not stop cleanly: " + e.getMessage());
                out.flush();
              } finally {
                stopped.countDown();
              }
            },
            "nightjar-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      Runtime.getRuntime().removeShutdownHook(hook);
      try {
        service.close();
      } catch (Exception ignored) {
        // Interrupted on purpose: closing is best effort.
      }
    }
  }
}
