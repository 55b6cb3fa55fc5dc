package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/**
 * A command on one registered model, given by {@code --model} as its name or its spec file: it runs
 * with the model's name, resolved once the job context is open.
 */
abstract class ModelCommand extends Subcommand {
  @Mixin ModelOption model;

  @Override
  final int run(PrintWriter out) {
    var context = context();
    return run(context, model.name(context), out);
  }

  /** Runs the command on model {@code name}, printing to {@code out}; returns its exit code. */
  abstract int run(JobContext context, String name, PrintWriter out);
}
