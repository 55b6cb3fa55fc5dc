package io.nightjar.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of config files: {@code 45s}, {@code 30m}, {@code 12h}, {@code 7d}, or
 * combined {@code 1h30m}.
 */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile("(\\d+[smhd])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([smhd])");

  private Durations() {}

  /**
   * Returns the duration {@code text} denotes.
   *
   * @throws ConfigException naming {@code key} when the text is not a positive duration
   */
  public static Duration parse(String key, String text) {
    String trimmed = text == null ? "" : text.trim();
    ConfigException.check(
        WHOLE.matcher(trimmed).matches(),
        "Invalid duration for '%s': '%s'. Use a number and a unit s, m, h or d, e.g. 30m, 7d or 1h30m.",
        key,
        text);
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(trimmed);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          switch (part.group(2)) {
            case "s" -> total.plusSeconds(amount);
            case "m" -> total.plusMinutes(amount);
            case "h" -> total.plusHours(amount);
            default -> total.plusDays(amount);
          };
    }
    ConfigException.check(
        !total.isZero(),
        "Invalid duration for '%s': '%s'. It must be longer than zero.",
        key,
        text);
    return total;
  }

  /** Formats a duration the way {@link #parse} reads it back, e.g. {@code 1h30m}. */
  public static String format(Duration duration) {
    long seconds = duration.getSeconds();
    StringBuilder out = new StringBuilder();
    long[] sizes = {86_400, 3_600, 60, 1};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (seconds >= sizes[i]) {
        out.append(seconds / sizes[i]).append(units[i]);
        seconds %= sizes[i];
      }
    }
    return out.length() == 0 ? "0s" : out.toString();
  }
}
