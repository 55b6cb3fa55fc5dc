package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.ServedModel;
import io.nightjar.scoring.PredictionTable;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Issue 6 benchmark (a): {@code serve}'s lookup over loopback with a warm cache. Writes a classification prediction
 * table of ENTITIES entities, loads its cache (measuring the heap it takes), then drives {@code GET
 * /v1/models/bench_model/predictions/{id}} with uniformly random existing ids at a fixed RATE for SECONDS from an
 * open-loop generator (java.net.http, asynchronous; latency counted from each request's scheduled start, so a stall
 * is not hidden), after a 5-second warm-up. Run with {@code jobs/bench/lookup.sh http [ENTITIES] [RATE] [SECONDS]}.
 */
public final class HttpLookupBenchmark {
  private HttpLookupBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    Path dir = Files.createTempDirectory("nightjar-bench-http");
    JobContext context = TestSpark.context(dir, "bench");
    context.warehouse().ensureDatabase("bench");
    PredictionTable table = LookupTables.write(context, "predictions_bench", entities, 1);
    ServedModel model =
        new ServedModel("bench_model", Task.CLASSIFICATION, "id", table.name(),
            context.warehouse().location(table.name()));

    long heapBefore = usedHeapAfterGc();
    PredictionCache cache = new PredictionCache(context.spark(), model);
    long started = System.nanoTime();
    cache.refresh();
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    long heapAfter = usedHeapAfterGc();
    double bytesPerEntity = (double) (heapAfter - heapBefore) / cache.snapshot().size();
    System.out.printf("cache: %d entities loaded in %.1fs; heap %.1f MiB -> %.1f MiB: %.1f bytes per entity,"
            + " %.1f MiB per million entities%n", cache.snapshot().size(), loadSeconds, heapBefore / 1048576.0,
        heapAfter / 1048576.0, bytesPerEntity, bytesPerEntity * 1e6 / 1048576.0);

    try (HttpLookup lookup = HttpLookup.start(Map.of("bench_model", cache), "127.0.0.1", 0, 8)) {
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .executor(java.util.concurrent.Executors.newFixedThreadPool(4))
              .build();
      String base = "http://127.0.0.1:" + lookup.port() + "/v1/models/bench_model/predictions/";
      run(client, base, entities, rate, 5, "warm-up");
      run(client, base, entities, rate, seconds, "measured");
    }
    System.exit(0);
  }

  private static void run(HttpClient client, String base, long entities, int rate, int seconds, String label)
      throws Exception {
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
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
