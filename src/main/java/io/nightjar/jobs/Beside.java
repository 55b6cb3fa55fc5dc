package io.nightjar.jobs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Work a job runs beside its own thread, overlapping work that does not depend on it. Each piece
 * gets a new daemon thread, so that it inherits the job thread's Spark local properties: its job
 * group, which a train stopped at its deadline cancels, stops this work's Spark jobs too.
 */
final class Beside {
  private Beside() {}

  /** Starts {@code work} on a new thread named {@code name}. */
  static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(work.get());
              } catch (Throwable e) { // handed to the job thread, which rethrows it as it was
                result.completeExceptionally(e);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /**
   * Waits for {@code work} and returns its result, or throws what it threw, as it was thrown (Spark
   * throws checked exceptions undeclared, and the job's handlers must see them unwrapped).
   */
  static <T> T join(CompletableFuture<T> work) {
    try {
      return work.get();
    } catch (InterruptedException e) {
      // A train stopped at its deadline is interrupted: its handler sees the stop, not this.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for work beside the job", e);
    } catch (ExecutionException e) {
      throw Beside.<RuntimeException>rethrow(e.getCause());
    }
  }

  /** Waits for {@code work} to end, whatever its outcome. */
  static void await(CompletableFuture<?> work) {
    try {
      work.exceptionally(e -> null).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new AssertionError("exceptionally() completes normally", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable e) throws E {
    throw (E) e;
  }
}
