package io.nightjar.config;

import java.time.Duration;

/** Cross-validation and search settings; {@code budget} is null when tuning has no time cap. */
public record TuningSpec(
    int folds,
    Metric metric,
    double holdout,
    Search search,
    int maxTrials,
    Duration budget,
    boolean warmStart,
    long seed) {}
