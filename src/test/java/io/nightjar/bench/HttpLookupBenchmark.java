package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.HttpLookup;
import io.nightjar.lookup.PredictionCache;
import io.nightjar.lookup.ServedModel;
import io.nightjar.scoring.PredictionTable;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Issue 6 benchmark (a), server side: {@code serve}'s lookup over loopback with a warm cache.
 * Writes a classification prediction table of ENTITIES entities, loads its cache (measuring the
 * heap it takes), starts the HTTP lookup on 127.0.0.1 and writes its base URL to PORT_FILE; then
 * serves until the process is stopped. {@code jobs/bench/lookup.sh http [ENTITIES] [RATE]
 * [SECONDS]} runs it and drives it with wrk at a steady rate ({@code jobs/bench/paced-load.lua}).
 */
public final class HttpLookupBenchmark {
  private HttpLookupBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = Long.parseLong(args[0]);
    Path portFile = Path.of(args[1]);
    Path dir = Files.createTempDirectory("nightjar-bench-http");
    JobContext context = TestSpark.contextWithDatabase(dir, "bench");
    PredictionTable table = LookupTables.write(context, "predictions_bench", entities, 1);
    ServedModel model =
        new ServedModel(
            "bench_model",
            Task.CLASSIFICATION,
            "id",
            table.name(),
            context.warehouse().location(table.name()));

    long heapBefore = usedHeapAfterGc();
    PredictionCache cache =
        new PredictionCache(context.spark(), model, KernelVersions.open(context.env()));
    long started = System.nanoTime();
    cache.refresh();
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    long heapAfter = usedHeapAfterGc();
    double bytesPerEntity = (double) (heapAfter - heapBefore) / cache.snapshot().size();
    System.out.printf(
        "cache: %d entities loaded in %.1fs; heap %.1f MiB -> %.1f MiB: %.1f bytes per entity,"
            + " %.1f MiB per million entities%n",
        cache.snapshot().size(),
        loadSeconds,
        heapBefore / 1048576.0,
        heapAfter / 1048576.0,
        bytesPerEntity,
        bytesPerEntity * 1e6 / 1048576.0);

    // Request threads as `serve --threads` (default 8); -Dnightjar.bench.threads=N compares other
    // counts.
    HttpLookup lookup =
        HttpLookup.start(
            Map.of("bench_model", cache),
            "127.0.0.1",
            0,
            Integer.getInteger("nightjar.bench.threads", 8));
    String base = "http://127.0.0.1:" + lookup.port() + "/v1/models/bench_model/predictions/";
    Path written =
        Files.writeString(portFile.resolveSibling(portFile.getFileName() + ".tmp"), base);
    Files.move(written, portFile, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("serving " + base);
    Thread.currentThread().join();
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
