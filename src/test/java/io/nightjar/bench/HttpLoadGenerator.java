package io.nightjar.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The load side of the HTTP lookup benchmark, in its own JVM (no Spark) so that its threads and collections do not
 * share a heap or safepoints with the server's: an open-loop generator (java.net.http, asynchronous, HTTP/1.1
 * keep-alive) that sends {@code GET BASE{id}} for uniformly random ids in [0, ENTITIES) at a fixed RATE for SECONDS,
 * after a 5-second warm-up. Latency counts from each request's scheduled start, so a stall on either side is not
 * hidden (no coordinated omission). Usage: {@code HttpLoadGenerator BASE ENTITIES RATE SECONDS}.
 */
public final class HttpLoadGenerator {
  private HttpLoadGenerator() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    long entities = Long.parseLong(args[1]);
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(java.util.concurrent.Executors.newFixedThreadPool(2))
            .build();
    run(client, base, entities, rate, 5, "warm-up");
    int errors = run(client, base, entities, rate, seconds, "measured");
    System.exit(errors == 0 ? 0 : 1);
  }

  /** Sends {@code rate * seconds} requests on schedule; prints the latency quantiles; returns the errors. */
  static int run(HttpClient client, String base, long entities, int rate, int seconds, String label) {
    int total = rate * seconds;
    AtomicLongArray latencies = new AtomicLongArray(total);
    AtomicInteger errors = new AtomicInteger();
    CompletableFuture<?>[] pending = new CompletableFuture<?>[total];
    long intervalNanos = 1_000_000_000L / rate;
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long scheduled = start + i * intervalNanos;
      long wait = scheduled - System.nanoTime();
      if (wait > 0) {
        java.util.concurrent.locks.LockSupport.parkNanos(wait);
      }
      long id = ThreadLocalRandom.current().nextLong(entities);
      int index = i;
      pending[i] =
          client
              .sendAsync(HttpRequest.newBuilder(URI.create(base + id)).build(), HttpResponse.BodyHandlers.ofString())
              .handle(
                  (response, error) -> {
                    latencies.set(index, System.nanoTime() - scheduled);
                    if (error != null || response.statusCode() != 200) {
                      errors.incrementAndGet();
                    }
                    return null;
                  });
    }
    CompletableFuture.allOf(pending).join();
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] sorted = new long[total];
    for (int i = 0; i < total; i++) {
      sorted[i] = latencies.get(i);
    }
    Arrays.sort(sorted);
    System.out.printf("%s: %d requests in %.1fs (%.0f/s), errors %d, latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
            + " max %.2f ms%n", label, total, elapsed, total / elapsed, errors.get(), ms(sorted, 0.50),
        ms(sorted, 0.99), ms(sorted, 0.999), sorted[total - 1] / 1e6);
    return errors.get();
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
