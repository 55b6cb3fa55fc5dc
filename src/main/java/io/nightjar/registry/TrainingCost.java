package io.nightjar.registry;

/**
 * What training a {@link ModelVersion} took: the seconds of the search and of the whole training,
 * and whether the tuning budget cut the search.
 */
public record TrainingCost(double tuningSeconds, double trainSeconds, boolean budgetExhausted) {}
