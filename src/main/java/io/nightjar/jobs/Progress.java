package io.nightjar.jobs;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Progress lines for long work: "[job model] message (elapsed 12s, ETA 40s)". Plain lines, so that
 * they read well on a terminal and in the log of a spark-submit or Airflow task alike.
 */
final class Progress {
  private final PrintWriter out;
  private final String prefix;
  private final long started = System.nanoTime();

  Progress(PrintWriter out, String job, String model) {
    this.out = out;
    this.prefix = "[" + job + (model == null ? "" : " " + model) + "] ";
  }

  void say(String format, Object... args) {
    out.println(prefix + String.format(format, args) + " (elapsed " + format(elapsed()) + ")");
    out.flush();
  }

  void step(int number, int total, Duration remaining, String format, Object... args) {
    out.println(
        prefix
            + String.format("%d/%d ", number, total)
            + String.format(format, args)
            + " (elapsed "
            + format(elapsed())
            + (number < total ? ", ETA " + format(remaining) : "")
            + ")");
    out.flush();
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  static String format(Duration duration) {
    long seconds = Math.max(0, Math.round(duration.toMillis() / 1000.0));
    return seconds < 60
        ? seconds + "s"
        : (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
  }
}
