package io.nightjar.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** {@code --date YYYY-MM-DD}: the logical date a command runs for; today (UTC) when left out. */
final class DateOption {
  @Option(
      names = "--date",
      paramLabel = "YYYY-MM-DD",
      description = "Logical date (default: today, UTC).")
  String date;

  /**
   * The logical date.
   *
   * @throws io.nightjar.config.ConfigException when {@code --date} is not a date
   */
  LocalDate logicalDate() {
    return NightjarCli.date(date);
  }
}
