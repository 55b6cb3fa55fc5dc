package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.SpecResolver;
import picocli.CommandLine.Option;

/** {@code --model NAME}: the model a command acts on, named or given by its spec file. */
final class ModelOption {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model name or spec file path.")
  String model;

  /** The model's name: {@code --model} itself, or the name in the spec file it points to. */
  String name(JobContext context) {
    return new SpecResolver(context).modelName(model);
  }
}
