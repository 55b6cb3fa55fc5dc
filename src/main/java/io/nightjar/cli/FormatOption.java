package io.nightjar.cli;

import picocli.CommandLine.Option;

/** {@code --format table|csv|json} for the commands that print rows. */
final class FormatOption {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table, csv or json (default: ${DEFAULT-VALUE}).",
      defaultValue = "table",
      converter = FormatConverter.class)
  OutputFormat format;
}
