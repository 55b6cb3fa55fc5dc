package io.nightjar.bench;

import io.nightjar.TestSpark;
import io.nightjar.config.SourceSpec;
import io.nightjar.config.TableName;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import io.nightjar.kernel.KernelPointReader;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.FeatureCache;
import io.nightjar.lookup.FeatureSnapshot;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap that {@code serve} needs for one model's serving features: writes ENTITIES demo entities
 * (whole-number id, 20 double features, one text feature of 4 levels) as a Delta table, loads them
 * into a {@link FeatureCache} and prints the heap before and after (each after a full GC), the
 * snapshot's own estimate and the load time, per million entities. {@code jobs/bench/lookup.sh
 * features [ENTITIES]} runs it.
 */
public final class FeatureMemoryBenchmark {
  private FeatureMemoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    long entities = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    Path dir = Files.createTempDirectory("nightjar-bench-features");
    JobContext context = TestSpark.contextWithDatabase(dir, "bench");
    TableName table = new TableName("bench", "entities");
    DemoData.entities(context.spark(), 0, entities, 1)
        .write()
        .format("delta")
        .save(context.warehouse().location(table));
    context.warehouse().register(table);
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      columns.add("x" + i);
    }
    columns.add("segment");

    long heapBefore = usedHeapAfterGc();
    FeatureCache cache =
        new FeatureCache(
            context.spark(),
            "bench_model",
            SourceSpec.table(table),
            "id",
            null,
            Long.MAX_VALUE,
            KernelVersions.open(context.env()),
            KernelPointReader.open(context.env()),
            0);
    long started = System.nanoTime();
    cache.refresh(columns);
    double loadSeconds = (System.nanoTime() - started) / 1e9;
    long heapAfter = usedHeapAfterGc();
    FeatureSnapshot snapshot = cache.snapshot();
    double perMillion = 1e6 / snapshot.size() / 1048576.0;
    System.out.printf(
        "features: %d entities x %d columns loaded in %.1fs; heap %.1f MiB -> %.1f MiB:"
            + " %.1f MiB per million entities measured, %.1f MiB per million estimated%n",
        snapshot.size(),
        snapshot.columns().size(),
        loadSeconds,
        heapBefore / 1048576.0,
        heapAfter / 1048576.0,
        (heapAfter - heapBefore) * perMillion,
        snapshot.estimatedBytes() * perMillion);
    System.exit(0);
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
