package io.nightjar.jobs;

import io.nightjar.config.Durations;
import io.nightjar.config.ModelSpec;
import io.nightjar.monitoring.Alert;
import io.nightjar.monitoring.AlertsTable;
import io.nightjar.monitoring.MonitoringView;
import io.nightjar.monitoring.RunLog;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.TableRow;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} tells from a model's {@code runs}: the last run of each job, described with
 * its duration against the median of the job's earlier successful runs, and the alerts they raise:
 * a last run that failed, timed out or ended degraded; one still {@code running} past its expected
 * end (its process was probably killed); one that took more than {@code monitoring.slow_run_factor}
 * times the median.
 *
 * <p>The expected end of a running run: for {@code train}, its start plus {@code
 * nightly.train_deadline} and the time {@code nightly} waits for a stopped train; for {@code
 * nightly} with a deadline, the later of that and the factor times its median; for any other run,
 * the factor times its median; without earlier runs or a deadline, {@link
 * #EXPECTED_WITHOUT_HISTORY}.
 */
final class RunHealth {
  /** How many earlier runs of a job the duration trend compares with. */
  static final int TREND_RUNS = 5;

  /** How many earlier runs a slow-run alert needs: a median of fewer says little. */
  static final int MIN_TREND_RUNS = 3;

  /**
   * Runs shorter than this are never called slow: a gate that had something to decide takes seconds
   * where one with nothing to decide takes milliseconds, and neither needs a person.
   */
  static final Duration MIN_SLOW = Duration.ofMinutes(1);

  /** The expected duration of a running job with neither earlier runs nor a deadline. */
  static final Duration EXPECTED_WITHOUT_HISTORY = Duration.ofHours(24);

  /** The descriptions of the last runs and the alerts they raise, one per kind. */
  record Findings(List<String> lastRuns, List<Alert> alerts) {}

  private final ModelSpec spec;
  private final Timestamp now;
  private final Map<String, List<Alert>> byKind = new LinkedHashMap<>();

  RunHealth(ModelSpec spec, Timestamp now) {
    this.spec = spec;
    this.now = now;
  }

  /** Judges {@code runs}: the model's rows of {@code runs} ({@link MonitoringView#RUN_COLUMNS}). */
  Findings judge(List<TableRow> runs) {
    List<TableRow> rows = new ArrayList<>(runs);
    // Each job's runs together, newest first.
    rows.sort(
        Comparator.comparing((TableRow r) -> r.<String>get(RunLog.JOB))
            .thenComparing(
                (TableRow r) -> r.<Timestamp>get(RunLog.STARTED_AT), Comparator.reverseOrder()));
    List<String> out = new ArrayList<>();
    String job = null;
    List<Double> earlier = new ArrayList<>();
    TableRow last = null;
    for (TableRow row : rows) {
      if (!row.get(RunLog.JOB).equals(job)) {
        if (last != null) {
          out.add(judge(last, earlier));
        }
        job = row.get(RunLog.JOB);
        last = row;
        earlier = new ArrayList<>();
      } else if (earlier.size() < TREND_RUNS
          && RunStatus.fromSql(row.get(RunLog.STATUS)) == RunStatus.SUCCEEDED) {
        earlier.add(seconds(row));
      }
    }
    if (last != null) {
      out.add(judge(last, earlier));
    }
    List<Alert> alerts = new ArrayList<>();
    byKind.forEach((kind, found) -> alerts.add(merge(kind, found)));
    return new Findings(out, alerts);
  }

  /** Describes the last run of a job and records the alerts it raises. */
  private String judge(TableRow run, List<Double> earlier) {
    String job = run.get(RunLog.JOB);
    RunStatus status = RunStatus.fromSql(run.get(RunLog.STATUS));
    String where = job + " of " + run.get(RunLog.LOGICAL_DATE);
    Timestamp finished = run.get(RunLog.FINISHED_AT);
    Double median = earlier.isEmpty() ? null : median(earlier);
    switch (status) {
      case FAILED -> raise(AlertsTable.RUN_FAILED, finished, where + " failed: " + error(run));
      case TIMED_OUT ->
          raise(AlertsTable.RUN_TIMED_OUT, finished, where + " timed out: " + error(run));
      case DEGRADED ->
          raise(
              AlertsTable.RUN_DEGRADED, finished, where + " scored with production: " + error(run));
      case RUNNING -> judgeRunning(run, job, where, median);
      default -> {}
    }
    double factor = spec.monitoringOrDefaults().slowRunFactor();
    if (finished != null
        && earlier.size() >= MIN_TREND_RUNS
        && seconds(run) > factor * median
        && seconds(run) >= MIN_SLOW.toSeconds()) {
      raise(
          AlertsTable.RUN_SLOW,
          finished,
          String.format(
              "%s took %.0fs, more than %.3g × the median %.0fs of its %d runs before"
                  + " (monitoring.slow_run_factor)",
              where, seconds(run), factor, median, earlier.size()));
    }
    String text = job + " " + status.sqlName() + " " + run.get(RunLog.LOGICAL_DATE);
    if (finished != null) {
      text += String.format(" %.0fs", seconds(run));
      if (median != null) {
        text += String.format(" (median before: %.0fs)", median);
      }
    }
    return text;
  }

  private void judgeRunning(TableRow run, String job, String where, Double median) {
    Duration expected = expected(job, median);
    Timestamp started = run.get(RunLog.STARTED_AT);
    Timestamp end = new Timestamp(started.getTime() + expected.toMillis());
    if (now.after(end)) {
      raise(
          AlertsTable.RUN_STUCK,
          end,
          String.format(
              "%s started at %s is still running past its expected end %s (expected %s);"
                  + " its process was probably killed",
              where, started, end, Durations.format(expected)));
    }
  }

  private Duration expected(String job, Double median) {
    Duration deadline = spec.nightly().trainDeadline();
    Duration byMedian =
        median == null
            ? null
            : Duration.ofMillis(
                Math.round(median * 1000 * spec.monitoringOrDefaults().slowRunFactor()));
    if (deadline != null && (job.equals("train") || job.equals("nightly"))) {
      Duration stopped = deadline.plus(DeadlinedTrain.STOP_GRACE);
      if (job.equals("train") || byMedian == null) {
        return stopped;
      }
      return byMedian.compareTo(stopped) > 0 ? byMedian : stopped;
    }
    return byMedian != null ? byMedian : EXPECTED_WITHOUT_HISTORY;
  }

  private void raise(String kind, Timestamp since, String details) {
    byKind
        .computeIfAbsent(kind, k -> new ArrayList<>())
        .add(new Alert(kind, since == null ? now : since, details));
  }

  /** One alert per kind: the earliest since, every job's details. */
  private static Alert merge(String kind, List<Alert> found) {
    Timestamp since = found.stream().map(Alert::since).min(Timestamp::compareTo).orElseThrow();
    return new Alert(kind, since, String.join("; ", found.stream().map(Alert::details).toList()));
  }

  private static String error(TableRow run) {
    String error = run.get(RunLog.ERROR);
    return error == null ? "(no message)" : error;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static double seconds(TableRow run) {
    return (run.<Timestamp>get(RunLog.FINISHED_AT).getTime()
            - run.<Timestamp>get(RunLog.STARTED_AT).getTime())
        / 1000.0;
  }
}
