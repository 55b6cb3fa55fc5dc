package io.nightjar.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The rows a job read from a source, pinned to one version. {@code deltaVersion} is the Delta table
 * version read, or null for sources that are not Delta tables.
 */
public record SourceSnapshot(Dataset<Row> rows, Long deltaVersion, String description) {}
