package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.lookup.ServerOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --poll --threads --io-threads --max-body --max-batch}: how often {@code serve} looks for
 * new versions and models, its threads, and the largest request it answers.
 */
final class ServingOptions {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,9})\\s*(b|kib|mib)?");
  private static final int MIN_BODY = 1 << 10;
  private static final int MAX_BODY = 64 << 20;

  @Option(
      names = "--poll",
      paramLabel = "SECONDS",
      description =
          "How often to check the prediction tables for new versions and the registry for new"
              + " models (default: ${DEFAULT-VALUE}).",
      defaultValue = "5")
  int pollSeconds;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Scoring threads for requests that may score on demand (default: ${DEFAULT-VALUE}).",
      defaultValue = "8")
  int threads;

  @Option(
      names = "--io-threads",
      paramLabel = "N",
      description =
          "Network threads; they also answer lookups that only read memory (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int ioThreads;

  @Option(
      names = "--max-body",
      paramLabel = "SIZE",
      description =
          "Largest request body, in bytes or with KiB/MiB; larger ones are answered 413 (default:"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "1MiB")
  String maxBody;

  @Option(
      names = "--max-batch",
      paramLabel = "ROWS",
      description = "Most rows in one POST .../predict request (default: ${DEFAULT-VALUE}).",
      defaultValue = "100")
  int maxBatch;

  /**
   * The server options from these options and where {@code listen} says to listen.
   *
   * @throws ConfigException naming the option and what is valid when a value is not
   */
  ServerOptions options(ListenOptions listen) {
    int port = listen.port();
    ConfigException.check(
        pollSeconds >= 1, "Invalid --poll '%d': use at least 1 second.", pollSeconds);
    ConfigException.check(
        threads >= 1 && threads <= 256, "Invalid --threads '%d': use 1 to 256.", threads);
    ConfigException.check(
        ioThreads >= 1 && ioThreads <= 64, "Invalid --io-threads '%d': use 1 to 64.", ioThreads);
    ConfigException.check(
        maxBatch >= 1 && maxBatch <= 10_000,
        "Invalid --max-batch '%d': use 1 to 10000 rows.",
        maxBatch);
    return new ServerOptions(
        listen.address, port, threads, ioThreads, bytes("--max-body", maxBody), maxBatch);
  }

  /** How often to look for new versions and models ({@code --poll}). */
  Duration poll() {
    return Duration.ofSeconds(pollSeconds);
  }

  /** A size such as {@code 1048576}, {@code 512KiB} or {@code 1MiB}, from 1 KiB to 64 MiB. */
  static int bytes(String option, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    long value = -1;
    if (m.matches()) {
      String unit = m.group(2) == null ? "b" : m.group(2);
      long scale = unit.equals("mib") ? 1L << 20 : unit.equals("kib") ? 1L << 10 : 1;
      value = Long.parseLong(m.group(1)) * scale;
    }
    ConfigException.check(
        value >= MIN_BODY && value <= MAX_BODY,
        "Invalid %s '%s': use a size from 1KiB to 64MiB, in bytes or with KiB or MiB (e.g. 1048576,"
            + " 512KiB, 1MiB).",
        option,
        text);
    return (int) value;
  }
}
