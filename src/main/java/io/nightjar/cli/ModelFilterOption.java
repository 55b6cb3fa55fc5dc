package io.nightjar.cli;

import io.nightjar.config.EnvironmentConfig;
import io.nightjar.jobs.SpecResolver;
import picocli.CommandLine.Option;

/**
 * {@code [--model NAME]}: only this model, named or given by its spec file; every model without.
 */
final class ModelFilterOption {
  @Option(
      names = "--model",
      paramLabel = "NAME",
      description = "Only this model (default: every model).")
  String model;

  /** The model's name, as {@link ModelOption#name} has it, or null for every model. */
  String nameOrNull(EnvironmentConfig env) {
    return model == null ? null : SpecResolver.modelName(env, model);
  }
}
