package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * What every subcommand shares: the parent command line (environment config and job context),
 * {@code -h/--help}, and how a run ends. {@link #run} prints to the command line's output and
 * returns the exit code; the output is flushed when it returns. An exception it throws becomes its
 * exit code and one sentence on stderr in {@link NightjarCli}, the one place that maps them.
 */
abstract class Subcommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Override
  public final Integer call() {
    PrintWriter out = cli.spec.commandLine().getOut();
    int code = run(out);
    out.flush();
    return code;
  }

  /** Runs the command, printing to {@code out}; returns its exit code ({@link ExitCodes}). */
  abstract int run(PrintWriter out);

  /**
   * The job context, opening Spark on first use: options are checked before, so that a bad one
   * fails fast.
   */
  JobContext context() {
    return cli.context();
  }
}
