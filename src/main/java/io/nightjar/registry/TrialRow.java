package io.nightjar.registry;

import io.nightjar.config.CandidateSpec;
import java.util.List;
import java.util.Map;

/**
 * What one {@code tuning_trials} row records of a trial, as the search hands it over ({@link
 * TrialsTable#replace}): the candidate, the grid point as text ({@code params}) and the key that
 * identifies the configuration across runs ({@code configKey}), and the result. NaN {@code mean}
 * and {@code std} are stored as null.
 */
public record TrialRow(
    int trialId,
    CandidateSpec candidate,
    Map<String, String> params,
    String configKey,
    double mean,
    double std,
    List<Double> foldValues,
    double seconds,
    TrialStatus status,
    String error,
    int rung,
    String resumedFrom) {}
