package io.nightjar.spark;

/**
 * The latest version of the Delta table at a path, read without a Spark job. {@code serve} asks it
 * every few seconds for every table it holds in memory; a Spark job each time (Delta's {@code
 * history}) took the cores the requests need and showed in their tail latency.
 */
@FunctionalInterface
public interface DeltaVersions {
  /** The latest committed version of the table at {@code path}, or -1 when there is none (yet). */
  long latest(String path);
}
