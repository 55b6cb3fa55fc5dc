package io.nightjar.cli;

import picocli.CommandLine.Option;

/** {@code --reason TEXT}: why a person moves an alias; recorded with the event. */
final class ReasonOption {
  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in model_events.")
  String reason;
}
