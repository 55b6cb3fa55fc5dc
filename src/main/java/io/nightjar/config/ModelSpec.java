package io.nightjar.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A validated model spec (docs/configuration.md). {@code owner}, {@code scoring} and {@code
 * monitoring} may be null; {@code nightly} is never null ({@link NightlySpec#DEFAULT} when the spec
 * has no such section); {@code serving} is null only when the spec has neither a {@code serving}
 * nor a {@code scoring} section (its defaults come from {@code scoring}). {@code yaml} is the exact
 * text the spec was read from and {@code sha256} its digest; both are recorded with every version.
 */
public record ModelSpec(
    String name,
    Task task,
    String owner,
    DataSpec data,
    List<CandidateSpec> candidates,
    TuningSpec tuning,
    double minImprovement,
    ScoringSpec scoring,
    MonitoringSpec monitoring,
    NightlySpec nightly,
    ServingSpec serving,
    String yaml,
    String sha256) {
  public ModelSpec {
    requireNonNull(name, "name is null");
    requireNonNull(task, "task is null");
    requireNonNull(data, "data is null");
    candidates = List.copyOf(candidates);
    requireNonNull(tuning, "tuning is null");
    nightly = nightly == null ? NightlySpec.DEFAULT : nightly;
  }

  /** The monitoring settings, or their defaults when the spec has no {@code monitoring} section. */
  public MonitoringSpec monitoringOrDefaults() {
    return monitoring != null ? monitoring : MonitoringSpec.DEFAULT;
  }

  /** The scoring section, or a config error naming the spec when it has none. */
  public ScoringSpec requireScoring() {
    ConfigException.check(
        scoring != null,
        "Cannot score model '%s': its spec has no 'scoring' section (input, output, ttl).",
        name);
    return scoring;
  }
}
