package io.nightjar.cli;

import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import picocli.CommandLine;

/** Reads {@code --format table|csv|json}. */
final class FormatConverter implements CommandLine.ITypeConverter<OutputFormat> {
  @Override
  public OutputFormat convert(String value) {
    try {
      return Choices.parse("--format", value, OutputFormat.class);
    } catch (ConfigException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
