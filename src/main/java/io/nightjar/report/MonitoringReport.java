package io.nightjar.report;

import io.nightjar.monitoring.RunStatus;
import io.nightjar.report.Charts.DatedSeries;
import io.nightjar.report.Charts.Reference;
import io.nightjar.report.HtmlPage.Chart;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The monitoring report of a model: its metrics on labels that arrived after scoring, day by day
 * and against each version's holdout value; the drift of each feature (PSI) from the training-time
 * distributions; and how long its jobs took. Nightly retraining makes a new version most days, so
 * the report follows the model across versions and marks each point with the version that made it.
 *
 * @param metrics rows of {@code model_metrics}, any order
 * @param drift rows of {@code feature_drift}, any order
 * @param psiAlert the spec's {@code monitoring.drift_psi_alert}
 * @param runs the model's job runs, any order
 */
public record MonitoringReport(
    String model,
    int version,
    String metric,
    List<MetricPoint> metrics,
    List<DriftPoint> drift,
    double psiAlert,
    List<RunPoint> runs) {
  /** Features charted over time: the ones that drifted most. */
  static final int CHARTED_FEATURES = 6;

  /** Failed runs listed. */
  static final int LISTED_FAILURES = 10;

  public record MetricPoint(
      int version,
      LocalDate date,
      String metric,
      double value,
      long rows,
      Double holdout,
      boolean alert) {}

  public record DriftPoint(
      int version, LocalDate date, String feature, double psi, boolean alert) {}

  public record RunPoint(
      String job, LocalDate date, double seconds, RunStatus status, String error) {}

  public HtmlPage render() {
    HtmlPage page =
        new HtmlPage(
            "Model " + model + " — monitoring",
            "Monitoring report written for version "
                + version
                + ". Quality on delayed labels, drift, job timings.");
    quality(page);
    drift(page);
    timings(page);
    return page;
  }

  private void quality(HtmlPage page) {
    page.section("Quality on labels that arrived later");
    if (metrics.isEmpty()) {
      page.note(
          "No evaluation yet: run `nightjar evaluate --model "
              + model
              + " --date D` once labels arrive.");
      return;
    }
    Map<String, List<MetricPoint>> byMetric =
        metrics.stream()
            .collect(Collectors.groupingBy(MetricPoint::metric, TreeMap::new, Collectors.toList()));
    List<String> names = new ArrayList<>(byMetric.keySet());
    if (names.remove(metric)) {
      names.add(0, metric);
    }
    List<Chart> charts = new ArrayList<>();
    for (String name : names) {
      List<MetricPoint> points =
          byMetric.get(name).stream().sorted(Comparator.comparing(MetricPoint::date)).toList();
      List<DatedSeries> series = new ArrayList<>();
      series.add(
          new DatedSeries(
              "on delayed labels",
              points.stream().map(MetricPoint::date).toList(),
              points.stream().map(MetricPoint::value).toList()));
      List<MetricPoint> withHoldout = points.stream().filter(p -> p.holdout() != null).toList();
      if (!withHoldout.isEmpty()) {
        series.add(
            new DatedSeries(
                "holdout at training",
                withHoldout.stream().map(MetricPoint::date).toList(),
                withHoldout.stream().map(MetricPoint::holdout).toList()));
      }
      charts.add(
          new Chart(
              name + " by day on delayed labels, with the holdout value of the version that scored",
              Charts.overTime(name + " by day", name, series, List.of())));
    }
    page.images(charts);
    List<List<String>> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    metrics.stream()
        .filter(p -> p.metric().equals(metric))
        .sorted(Comparator.comparing(MetricPoint::date).reversed())
        .forEach(
            p -> {
              rows.add(
                  List.of(
                      p.date().toString(),
                      Integer.toString(p.version()),
                      TrainingReport.number(p.value()),
                      TrainingReport.number(p.holdout()),
                      Long.toString(p.rows()),
                      p.alert() ? "degraded" : ""));
              classes.add(p.alert() ? "alert" : null);
            });
    page.table(
        List.of("date", "version", metric, "holdout " + metric, "rows", "alert"), rows, classes);
  }

  private void drift(HtmlPage page) {
    page.section("Drift (population stability index)");
    if (drift.isEmpty()) {
      page.note(
          "No drift measured yet: `evaluate` compares each day's scoring input with the training baseline.");
      return;
    }
    LocalDate latest = drift.stream().map(DriftPoint::date).max(LocalDate::compareTo).get();
    List<DriftPoint> today =
        drift.stream()
            .filter(d -> d.date().equals(latest))
            .sorted(Comparator.comparingDouble(DriftPoint::psi).reversed())
            .toList();
    long alerts = today.stream().filter(DriftPoint::alert).count();
    if (alerts > 0) {
      page.verdict(
          "On " + latest + ": ",
          alerts + " of " + today.size() + " drifted",
          false,
          String.format(" beyond PSI %.2f.", psiAlert));
    } else {
      page.verdict(
          "On " + latest + ": ", "no drift", true, String.format(" beyond PSI %.2f.", psiAlert));
    }
    Reference threshold = new Reference("alert at " + psiAlert, psiAlert, true);
    Map<String, Double> worst = new LinkedHashMap<>();
    drift.stream()
        .sorted(Comparator.comparingDouble(DriftPoint::psi).reversed())
        .forEach(d -> worst.putIfAbsent(d.feature(), d.psi()));
    List<DatedSeries> series = new ArrayList<>();
    for (String feature : worst.keySet().stream().limit(CHARTED_FEATURES).toList()) {
      List<DriftPoint> points =
          drift.stream()
              .filter(d -> d.feature().equals(feature))
              .sorted(Comparator.comparing(DriftPoint::date))
              .toList();
      series.add(
          new DatedSeries(
              feature,
              points.stream().map(DriftPoint::date).toList(),
              points.stream().map(DriftPoint::psi).toList()));
    }
    page.images(
        List.of(
            new Chart(
                "PSI of each feature on " + latest + ", largest first",
                Charts.bars(
                    "PSI by feature on " + latest,
                    "PSI",
                    today.stream().map(DriftPoint::feature).toList(),
                    today.stream().mapToDouble(DriftPoint::psi).toArray(),
                    null,
                    -1,
                    threshold,
                    true)),
            new Chart(
                "PSI over time of the features that drifted most",
                Charts.overTime(
                    "PSI over time (most drifted features)", "PSI", series, List.of(threshold)))));
  }

  private void timings(HtmlPage page) {
    page.section("Jobs");
    if (runs.isEmpty()) {
      page.note("No runs recorded.");
      return;
    }
    Map<String, List<RunPoint>> byJob =
        runs.stream()
            .filter(r -> r.status() == RunStatus.SUCCEEDED && r.date() != null)
            .collect(Collectors.groupingBy(RunPoint::job, TreeMap::new, Collectors.toList()));
    List<DatedSeries> series = new ArrayList<>();
    byJob.forEach(
        (job, points) -> {
          // One point per day: the last successful run of that day (retries and reruns replace each
          // other).
          Map<LocalDate, Double> perDay = new TreeMap<>();
          points.forEach(p -> perDay.put(p.date(), p.seconds()));
          series.add(
              new DatedSeries(job, List.copyOf(perDay.keySet()), List.copyOf(perDay.values())));
        });
    if (!series.isEmpty()) {
      page.images(
          List.of(
              new Chart(
                  "Seconds per successful job run by logical date",
                  Charts.overTime("Job duration by day", "seconds", series, List.of()))));
    }
    List<RunPoint> failed =
        runs.stream()
            .filter(r -> r.status() == RunStatus.FAILED)
            .sorted(
                Comparator.comparing(
                    RunPoint::date, Comparator.nullsLast(Comparator.reverseOrder())))
            .limit(LISTED_FAILURES)
            .toList();
    if (failed.isEmpty()) {
      page.verdict("Failed runs: ", "none", true, ".");
    } else {
      page.verdict(
          "Failed runs: ",
          Integer.toString(failed.size()),
          false,
          failed.size() == LISTED_FAILURES ? " (the latest shown)." : ", latest first.");
      List<List<String>> rows = new ArrayList<>();
      failed.forEach(
          r ->
              rows.add(
                  List.of(String.valueOf(r.date()), r.job(), r.error() == null ? "" : r.error())));
      page.table(List.of("date", "job", "error"), rows, Collections.nCopies(rows.size(), "alert"));
    }
  }
}
