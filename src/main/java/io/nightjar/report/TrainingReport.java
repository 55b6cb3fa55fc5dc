package io.nightjar.report;

import io.nightjar.config.Choices;
import io.nightjar.config.Metric;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.TrialStatus;
import io.nightjar.report.HtmlPage.Chart;
import io.nightjar.training.HoldoutDiagnostics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report of one trained version: what it is, how tuning went (metric by configuration), which
 * features it relies on, how it does on its holdout (residuals, or ROC and calibration), and how it
 * compares with production.
 *
 * @param facts what the registry recorded, label → value, in display order
 * @param metric the spec's tuning metric, which orders the trials
 * @param productionVersion the production version when the report was written, or null when there
 *     is none
 * @param decisions this version's gate and alias events, oldest first
 * @param diagnostics holdout sample and feature importance, or null for versions trained before
 *     they were recorded
 * @param search the finished trials of this version's run and of the model's earlier nights on the
 *     same metric, in the order they were evaluated (earlier nights first): the search history
 */
public record TrainingReport(
    String model,
    int version,
    boolean classification,
    Map<String, String> facts,
    Metric metric,
    List<TrialResult> trials,
    Map<String, Double> holdout,
    Integer productionVersion,
    Map<String, Double> productionHoldout,
    List<Decision> decisions,
    HoldoutDiagnostics diagnostics,
    List<SearchPoint> search) {
  /** Tuning bars show the best configurations; the table lists all. */
  static final int CHARTED_TRIALS = 25;

  /** One evaluated configuration of the search. */
  public record TrialResult(
      String configuration, double mean, double std, double seconds, TrialStatus status) {
    boolean done() {
      return status == TrialStatus.DONE && !Double.isNaN(mean);
    }
  }

  /**
   * A finished trial in the search history: its night, its parameters as numbers, its metric, and
   * whether it came from an earlier night than this version's (what a warm-started search learned
   * from) rather than from this version's run.
   */
  public record SearchPoint(
      String night, Map<String, Double> params, double mean, boolean earlier) {
    public SearchPoint {
      params = Map.copyOf(params);
    }
  }

  /** A registry event of the version: registered, promoted, rejected, rolled_back. */
  public record Decision(
      EventKind event, String at, String actor, String reason, Map<String, Double> metrics) {}

  public HtmlPage render() {
    HtmlPage page =
        new HtmlPage(
            "Model " + model + " — version " + version,
            "Training report. "
                + (classification ? "Binary classification" : "Regression")
                + ", tuned by "
                + metricName()
                + ".");
    page.section("Version");
    List<List<String>> rows = new ArrayList<>();
    facts.forEach((label, value) -> rows.add(List.of(label, value == null ? "" : value)));
    page.table(List.of("recorded", "value"), rows, null);
    tuning(page);
    searchHistory(page);
    importance(page);
    holdout(page);
    comparison(page);
    return page;
  }

  private void tuning(HtmlPage page) {
    page.section("Tuning: " + metricName() + " by configuration");
    List<TrialResult> done =
        trials.stream()
            .filter(TrialResult::done)
            .sorted(Comparator.comparing(TrialResult::mean, metric.bestFirst()))
            .toList();
    if (done.isEmpty()) {
      page.note("No trial of this version's run is recorded in tuning_trials.");
    } else {
      List<TrialResult> charted = done.subList(0, Math.min(CHARTED_TRIALS, done.size()));
      page.note(
          String.format(
              "Cross-validated %s (mean ± standard deviation over the folds) of the %d finished configurations%s; the "
                  + "best, refitted on all non-holdout rows, is in orange.",
              metricName(),
              done.size(),
              done.size() > charted.size() ? ", best " + charted.size() + " shown" : ""));
      page.images(
          List.of(
              new Chart(
                  "Cross-validated "
                      + metricName()
                      + " by configuration; best: "
                      + charted.get(0).configuration(),
                  Charts.bars(
                      metricName() + " by configuration (cross-validated)",
                      metricName(),
                      charted.stream().map(TrialResult::configuration).toList(),
                      charted.stream().mapToDouble(TrialResult::mean).toArray(),
                      charted.stream()
                          .mapToDouble(t -> Double.isNaN(t.std()) ? 0.0 : t.std())
                          .toArray(),
                      0,
                      null,
                      false))));
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    List<TrialResult> ordered = new ArrayList<>(done);
    trials.stream().filter(t -> !t.done()).forEach(ordered::add);
    for (TrialResult t : ordered) {
      rows.add(
          List.of(
              t.configuration(),
              number(t.mean()),
              number(t.std()),
              String.format("%.1f", t.seconds()),
              t.status().sqlName()));
      classes.add(
          !done.isEmpty() && t == done.get(0)
              ? "best"
              : t.status() == TrialStatus.FAILED ? "alert" : null);
    }
    if (!rows.isEmpty()) {
      page.table(
          List.of("configuration", metricName() + " mean", "std", "seconds", "status"),
          rows,
          classes);
    }
  }

  /**
   * The metric trial by trial (earlier nights' in grey, this run's in blue) with this run's best so
   * far, and the metric against each parameter's value.
   */
  private void searchHistory(HtmlPage page) {
    if (search.stream().noneMatch(point -> !point.earlier())) {
      return;
    }
    page.section("Search history");
    int n = search.size();
    double[] order = new double[n];
    double[] means = new double[n];
    boolean[] earlier = new boolean[n];
    double[] bestSoFar = new double[n];
    double best = Double.NaN;
    for (int i = 0; i < n; i++) {
      SearchPoint point = search.get(i);
      order[i] = i + 1;
      means[i] = point.mean();
      earlier[i] = point.earlier();
      if (!point.earlier()) {
        best =
            Double.isNaN(best)
                ? point.mean()
                : metric.isBetter(point.mean(), best) ? point.mean() : best;
      }
      bestSoFar[i] = best;
    }
    long fromEarlier = search.stream().filter(SearchPoint::earlier).count();
    page.note(
        String.format(
            "%d finished trials of this run%s, in the order they were evaluated; the line is this"
                + " run's best %s so far. Each night's data sets its own level of the metric, so"
                + " compare a night's trials with each other.",
            n - fromEarlier,
            fromEarlier == 0
                ? ""
                : String.format(
                    " after %d of earlier nights (grey: what a warm-started search learned from)",
                    fromEarlier),
            metric));
    List<Chart> charts = new ArrayList<>();
    charts.add(
        new Chart(
            "Cross-validated "
                + metricName()
                + " by trial, earlier nights' and this run's, best so far",
            Charts.searchHistory(
                metricName() + " by trial",
                "trial",
                metricName(),
                order,
                means,
                earlier,
                bestSoFar)));
    for (String key :
        new TreeSet<>(search.stream().flatMap(p -> p.params().keySet().stream()).toList())) {
      List<SearchPoint> withKey = search.stream().filter(p -> p.params().containsKey(key)).toList();
      double[] values = withKey.stream().mapToDouble(p -> p.params().get(key)).toArray();
      if (Arrays.stream(values).distinct().count() < 2) {
        continue;
      }
      boolean[] past = new boolean[withKey.size()];
      for (int i = 0; i < past.length; i++) {
        past[i] = withKey.get(i).earlier();
      }
      charts.add(
          new Chart(
              "Cross-validated " + metricName() + " against " + key,
              Charts.searchHistory(
                  metricName() + " against " + key,
                  key,
                  metricName(),
                  values,
                  withKey.stream().mapToDouble(SearchPoint::mean).toArray(),
                  past,
                  null)));
    }
    page.images(charts);
  }

  private void importance(HtmlPage page) {
    page.section("Feature importance");
    if (diagnostics == null) {
      page.note(
          "Not recorded for this version (trained before Nightjar stored holdout diagnostics).");
      return;
    }
    List<Map.Entry<String, Double>> ranked =
        diagnostics.importance().entrySet().stream()
            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
            .toList();
    page.note(
        String.format(
            "Permutation importance on %d holdout rows: how much %s worsens when one feature's"
                + " values are shuffled among the rows. Near zero or below: the model does not rely"
                + " on the feature.",
            diagnostics.labels().length, diagnostics.metric()));
    page.images(
        List.of(
            new Chart(
                "Permutation importance; most important: "
                    + (ranked.isEmpty() ? "none" : ranked.get(0).getKey()),
                Charts.bars(
                    "Permutation importance (worsening of " + diagnostics.metric() + ")",
                    diagnostics.metric() + " worsening",
                    ranked.stream().map(Map.Entry::getKey).toList(),
                    ranked.stream().mapToDouble(Map.Entry::getValue).toArray(),
                    null,
                    -1,
                    null,
                    true))));
  }

  private void holdout(HtmlPage page) {
    page.section("Holdout");
    List<List<String>> rows = new ArrayList<>();
    new TreeMap<>(holdout).forEach((name, value) -> rows.add(List.of(name, number(value))));
    page.table(List.of("metric", "value on the holdout"), rows, null);
    if (diagnostics == null) {
      return;
    }
    double[] y = diagnostics.labels();
    if (classification) {
      double[][] roc = Curves.roc(y, diagnostics.probabilities());
      double[][] calibration = Curves.calibration(y, diagnostics.probabilities(), 10);
      page.images(
          List.of(
              new Chart(
                  "ROC curve of the holdout sample, AUC " + number(Curves.area(roc)),
                  Charts.unitCurves(
                      String.format("ROC (AUC %.3f)", Curves.area(roc)),
                      "false positive rate",
                      "true positive rate",
                      Map.of("model", roc))),
              new Chart(
                  "Calibration: observed rate of class 1 by predicted probability",
                  Charts.unitCurves(
                      "Calibration (10 bins)",
                      "mean predicted probability",
                      "observed rate of 1",
                      Map.of("model", calibration)))));
    } else {
      double[] residuals = new double[y.length];
      for (int i = 0; i < y.length; i++) {
        residuals[i] = y[i] - diagnostics.predictions()[i];
      }
      page.images(
          List.of(
              new Chart(
                  "Predicted against actual values on the holdout sample",
                  Charts.scatter(
                      "Predicted vs actual",
                      "actual",
                      "predicted",
                      y,
                      diagnostics.predictions(),
                      true)),
              new Chart(
                  "Histogram of holdout residuals (actual minus predicted)",
                  Charts.histogram("Residuals (actual − predicted)", "residual", residuals, 30))));
    }
    page.note(String.format("Charts use a random sample of %d holdout rows.", y.length));
  }

  private void comparison(HtmlPage page) {
    page.section("Compared with production");
    if (productionVersion == null) {
      page.paragraph("The model has no production version.");
    } else if (productionVersion == version) {
      page.paragraph("This version is the production version.");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (String name : new TreeSet<>(holdout.keySet())) {
        Double theirs = productionHoldout.get(name);
        rows.add(
            List.of(
                name,
                number(holdout.get(name)),
                theirs == null ? "" : number(theirs),
                theirs == null
                    ? ""
                    : String.format(
                        "%+.2f%%", 100 * (holdout.get(name) - theirs) / Math.abs(theirs))));
      }
      page.table(
          List.of(
              "metric",
              "version " + version,
              "production (version " + productionVersion + ")",
              "change"),
          rows,
          null);
      page.note(
          "Each version's metrics were measured on its own holdout at training time. The promotion"
              + " gate compares both versions on the same rows; its decisions are below.");
    }
    if (decisions.isEmpty()) {
      page.note("No registry event recorded for this version.");
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> classes = new ArrayList<>();
    for (Decision d : decisions) {
      Map<String, Double> sorted = new LinkedHashMap<>(new TreeMap<>(d.metrics()));
      StringBuilder metrics = new StringBuilder();
      sorted.forEach(
          (k, v) ->
              metrics
                  .append(metrics.length() == 0 ? "" : ", ")
                  .append(k)
                  .append('=')
                  .append(number(v)));
      rows.add(
          List.of(
              d.at(),
              d.event().sqlName(),
              d.actor() == null ? "" : d.actor(),
              d.reason() == null ? "" : d.reason(),
              metrics.toString()));
      classes.add(
          d.event() == EventKind.REJECTED || d.event() == EventKind.ROLLED_BACK ? "alert" : null);
    }
    page.table(List.of("at", "event", "actor", "reason", "metrics"), rows, classes);
  }

  private String metricName() {
    return Choices.name(metric);
  }

  static String number(Double value) {
    if (value == null || value.isNaN()) {
      return "";
    }
    return String.format("%.5g", value);
  }
}
