package io.nightjar.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.nightjar.config.Metric;
import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.TrialStatus;
import io.nightjar.training.HoldoutDiagnostics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reports render from plain data (no Spark): every chart is a real PNG, text is escaped, nothing is
 * fetched from elsewhere, and the page renders in headless Chromium to a screenshot that is not
 * blank. CI installs Chromium and sets {@code NIGHTJAR_REQUIRE_CHROMIUM=1}, so there the screenshot
 * test cannot be skipped.
 */
class ReportRenderTest {
  @TempDir Path dir;

  @Test
  void aRegressionTrainingReportHasItsChartsAndEscapesEveryText() throws Exception {
    String html = regressionReport("<script>alert(1)</script>").render().html();

    assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    assertThat(html)
        .contains(
            "Tuning: rmse by configuration",
            "Feature importance",
            "Holdout",
            "Compared with production",
            "version 3",
            "production (version 2)");
    // Tuning bars, importance bars, predicted-vs-actual scatter, residual histogram.
    assertThat(pngs(html))
        .hasSize(4)
        .allSatisfy(png -> assertThat(png.getWidth()).isGreaterThan(300));
    assertThat(html).doesNotContain("http://", "https://", "<link", "<script");
  }

  @Test
  void aClassificationReportDrawsRocAndCalibration() throws Exception {
    Random random = new Random(7);
    int n = 500;
    double[] labels = new double[n];
    double[] probabilities = new double[n];
    for (int i = 0; i < n; i++) {
      probabilities[i] = random.nextDouble();
      labels[i] = random.nextDouble() < probabilities[i] ? 1.0 : 0.0;
    }
    var diagnostics =
        new HoldoutDiagnostics(labels, new double[n], probabilities, "auc", Map.of("x", 0.2));
    var report =
        new TrainingReport(
            "churn",
            1,
            true,
            Map.of("run", "r1"),
            Metric.AUC,
            List.of(
                new TrainingReport.TrialResult(
                    "linear/logistic {reg_param=0.0}", 0.81, 0.01, 2.0, TrialStatus.DONE)),
            Map.of("auc", 0.8, "logloss", 0.5),
            1,
            Map.of(),
            List.of(),
            diagnostics,
            List.of());

    String html = report.render().html();

    assertThat(html)
        .contains(
            "ROC curve of the holdout sample, AUC 0.",
            "Calibration",
            "This version is the production version.");
    assertThat(pngs(html)).hasSize(4);
  }

  /**
   * A regression report of model m (rmse 1.0 on the holdout) without a production version,
   * decisions or holdout diagnostics.
   */
  private static TrainingReport withoutProductionOrDiagnostics(
      int version,
      List<TrainingReport.TrialResult> trials,
      List<TrainingReport.SearchPoint> search) {
    return new TrainingReport(
        "m",
        version,
        false,
        Map.of(),
        Metric.RMSE,
        trials,
        Map.of("rmse", 1.0),
        null,
        Map.of(),
        List.of(),
        null,
        search);
  }

  @Test
  void aVersionWithoutDiagnosticsSaysSoInsteadOfFailing() {
    var report = withoutProductionOrDiagnostics(1, List.of(), List.of());

    String html = report.render().html();

    assertThat(html)
        .contains(
            "Not recorded for this version",
            "No trial of this version",
            "The model has no production version.");
  }

  @Test
  void theSearchHistoryShowsEarlierNightsTheBestSoFarAndEachParameter() throws Exception {
    List<TrainingReport.SearchPoint> search =
        List.of(
            new TrainingReport.SearchPoint(
                "2024-03-08", Map.of("learning_rate", 0.1, "max_depth", 4.0), 1.2, true),
            new TrainingReport.SearchPoint(
                "2024-03-09", Map.of("learning_rate", 0.05, "max_depth", 6.0), 1.1, true),
            new TrainingReport.SearchPoint(
                "2024-03-10", Map.of("learning_rate", 0.2, "max_depth", 6.0), 1.0, false),
            new TrainingReport.SearchPoint(
                "2024-03-10", Map.of("learning_rate", 0.04, "max_depth", 6.0), 0.9, false));
    var report =
        withoutProductionOrDiagnostics(
            2,
            List.of(
                new TrainingReport.TrialResult(
                    "gbt[xgboost]/squared {learning_rate=0.04, max_depth=6}",
                    0.9,
                    0.01,
                    2.0,
                    TrialStatus.DONE)),
            search);

    String html = report.render().html();

    assertThat(html)
        .contains(
            "Search history",
            "2 finished trials of this run after 2 of earlier nights",
            "rmse against learning_rate",
            "rmse against max_depth");
    // Tuning bars, the history, and one chart per parameter.
    assertThat(pngs(html)).hasSize(4);
  }

  @Test
  void aMonitoringReportChartsMetricsDriftAndTimingsAndFlagsAlerts() throws Exception {
    String html = monitoringReport().render().html();

    assertThat(html)
        .contains("rmse by day", "1 of 3 drifted", "degraded", "Failed runs", "cannot read input");
    // rmse and mae over time, PSI bars, PSI over time, job durations.
    assertThat(pngs(html)).hasSize(5);
  }

  @Test
  void anEmptyMonitoringReportExplainsWhatWouldFillIt() {
    var report = new MonitoringReport("m", 1, "rmse", List.of(), List.of(), 0.2, List.of());

    assertThat(report.render().html())
        .contains("No evaluation yet", "No drift measured yet", "No runs recorded");
  }

  @Test
  void writingReplacesTheFileWhole() throws Exception {
    Path file = dir.resolve("m/v1/training.html");
    regressionReport("first").render().write(file);
    regressionReport("second").render().write(file);

    assertThat(Files.readString(file)).contains("second").doesNotContain("first");
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void reportsRenderInHeadlessChromiumToAScreenshotThatIsNotBlank() throws Exception {
    String chromium = chromium();
    assumeThat(chromium != null || System.getenv("NIGHTJAR_REQUIRE_CHROMIUM") != null)
        .as("chromium is not installed (CI installs it)")
        .isTrue();
    assertThat(chromium)
        .as("NIGHTJAR_REQUIRE_CHROMIUM is set but no chromium is on the PATH")
        .isNotNull();
    for (var entry :
        Map.of(
                "training",
                regressionReport("m").render(),
                "monitoring",
                monitoringReport().render())
            .entrySet()) {
      Path html = entry.getValue().write(dir.resolve(entry.getKey() + ".html"));
      Path png = dir.resolve(entry.getKey() + ".png");
      Process process =
          new ProcessBuilder(
                  chromium,
                  "--headless",
                  "--no-sandbox",
                  "--disable-gpu",
                  "--hide-scrollbars",
                  "--user-data-dir=" + dir.resolve("chromium-profile"),
                  "--window-size=1200,2400",
                  "--screenshot=" + png,
                  html.toUri().toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve(entry.getKey() + "-chromium.log").toFile())
              .start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS))
          .as("chromium finished within 120 s")
          .isTrue();
      assertThat(png)
          .as(
              "screenshot of %s (chromium log: %s)",
              html, Files.readString(dir.resolve(entry.getKey() + "-chromium.log")))
          .exists();

      BufferedImage shot = ImageIO.read(png.toFile());
      assertThat(shot.getWidth()).isEqualTo(1200);
      // Not blank: a good share of the page is ink (text, bars, lines), in many colours (charts,
      // not only text).
      assertThat(inkShare(shot)).as("share of non-white pixels").isGreaterThan(0.03);
      assertThat(colours(shot)).as("distinct colours").isGreaterThan(50);
    }
  }

  static TrainingReport regressionReport(String model) {
    Random random = new Random(42);
    int n = 400;
    double[] labels = new double[n];
    double[] predictions = new double[n];
    for (int i = 0; i < n; i++) {
      labels[i] = 10 * random.nextDouble();
      predictions[i] = labels[i] + random.nextGaussian();
    }
    Map<String, Double> importance = new LinkedHashMap<>();
    importance.put("sqft", 1.7);
    importance.put("age", 0.4);
    importance.put("noise", -0.01);
    List<TrainingReport.TrialResult> trials = new ArrayList<>();
    for (int depth : new int[] {3, 5}) {
      for (int trees : new int[] {20, 50}) {
        trials.add(
            new TrainingReport.TrialResult(
                "gbt[xgboost]/squared {max_depth=" + depth + ", num_trees=" + trees + "}",
                1.0 + 1.0 / (depth * trees) * 10,
                0.05,
                3.0,
                TrialStatus.DONE));
      }
    }
    trials.add(
        new TrainingReport.TrialResult(
            "linear/squared {reg_param=0.1}", Double.NaN, Double.NaN, 1.0, TrialStatus.FAILED));
    return new TrainingReport(
        model,
        3,
        false,
        Map.of("trained", "2026-01-02 by ci", "features", "3: sqft, age, noise"),
        Metric.RMSE,
        trials,
        Map.of("rmse", 1.01, "mae", 0.8, "r2", 0.9),
        2,
        Map.of("rmse", 1.1, "mae", 0.85, "r2", 0.88),
        List.of(
            new TrainingReport.Decision(
                EventKind.REGISTERED, "2026-01-02 01:00:00", "ci", "trained", Map.of()),
            new TrainingReport.Decision(
                EventKind.REJECTED,
                "2026-01-02 01:05:00",
                "ci",
                "gain below min_improvement",
                Map.of("candidate_rmse", 1.02, "production_rmse", 1.03))),
        new HoldoutDiagnostics(labels, predictions, new double[0], "rmse", importance),
        List.of());
  }

  static MonitoringReport monitoringReport() {
    List<MonitoringReport.MetricPoint> metrics = new ArrayList<>();
    List<MonitoringReport.DriftPoint> drift = new ArrayList<>();
    List<MonitoringReport.RunPoint> runs = new ArrayList<>();
    LocalDate start = LocalDate.of(2026, 1, 1);
    for (int day = 0; day < 7; day++) {
      LocalDate date = start.plusDays(day);
      int version = 1 + day / 3;
      double rmse = 1.0 + 0.08 * day;
      metrics.add(
          new MonitoringReport.MetricPoint(version, date, "rmse", rmse, 500, 1.0, rmse > 1.25));
      metrics.add(
          new MonitoringReport.MetricPoint(
              version, date, "mae", 0.8 + 0.05 * day, 500, 0.8, false));
      drift.add(
          new MonitoringReport.DriftPoint(version, date, "sqft", 0.05 * day, 0.05 * day > 0.2));
      drift.add(new MonitoringReport.DriftPoint(version, date, "age", 0.01, false));
      drift.add(new MonitoringReport.DriftPoint(version, date, "(prediction)", 0.02 * day, false));
      runs.add(new MonitoringReport.RunPoint("train", date, 60 + day, RunStatus.SUCCEEDED, null));
      runs.add(new MonitoringReport.RunPoint("score", date, 20 + day, RunStatus.SUCCEEDED, null));
    }
    runs.add(
        new MonitoringReport.RunPoint(
            "score", start.plusDays(3), 2, RunStatus.FAILED, "cannot read input"));
    return new MonitoringReport("house_prices", 3, "rmse", metrics, drift, 0.2, runs);
  }

  private static List<BufferedImage> pngs(String html) throws Exception {
    List<BufferedImage> images = new ArrayList<>();
    Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    while (m.find()) {
      images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1)))));
    }
    return images;
  }

  private static double inkShare(BufferedImage image) {
    long ink = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
          ink++;
        }
      }
    }
    return (double) ink / ((long) image.getWidth() * image.getHeight());
  }

  private static int colours(BufferedImage image) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        seen.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    return seen.size();
  }

  /** The Chromium binary on the PATH (Debian: chromium), or null. */
  private static String chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (Files.isExecutable(Path.of(entry, name))) {
          return Path.of(entry, name).toString();
        }
      }
    }
    return null;
  }
}
