package io.nightjar.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h/--help} for subcommands. They do not take picocli's standard help mixin because its
 * {@code -V/--version} would clash with {@code --version N}, the model version of {@code score} and
 * {@code models}.
 */
final class HelpOption {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
