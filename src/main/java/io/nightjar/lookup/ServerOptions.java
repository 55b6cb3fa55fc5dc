package io.nightjar.lookup;

import static java.util.Objects.requireNonNull;

/**
 * How {@code serve}'s HTTP server runs: where it listens, its network ({@code ioThreads}) and
 * scoring ({@code threads}) threads, and the request limits. {@code serve} validates the values
 * against its options; this checks only what would break the server.
 *
 * @param port 0 for any free port
 * @param maxBodyBytes the largest request body accepted; larger ones are answered 413
 * @param maxBatch the most rows one {@code predict} request may hold
 */
public record ServerOptions(
    String bind, int port, int threads, int ioThreads, int maxBodyBytes, int maxBatch) {
  public static final int DEFAULT_MAX_BODY = 1 << 20;
  public static final int DEFAULT_MAX_BATCH = 100;
  public static final int DEFAULT_IO_THREADS = 2;

  public ServerOptions {
    requireNonNull(bind, "bind is null");
    if (port < 0 || threads < 1 || ioThreads < 1 || maxBodyBytes < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("Invalid server options: " + this);
    }
  }

  /** {@code threads} scoring threads on {@code bind:port}, every other value its default. */
  public static ServerOptions of(String bind, int port, int threads) {
    return new ServerOptions(
        bind, port, threads, DEFAULT_IO_THREADS, DEFAULT_MAX_BODY, DEFAULT_MAX_BATCH);
  }

  /** How many scoring requests may wait for a thread before new ones are answered 503. */
  int queue() {
    return 4 * threads;
  }
}
