package io.nightjar.registry;

/**
 * The rows a {@link ModelVersion} was trained on: the source, its Delta version (null for a source
 * that is not a Delta table), and how many rows were trained on and held out.
 */
public record TrainingData(String source, Long deltaVersion, long rows, long holdoutRows) {}
