package io.nightjar.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.SimpleDateFormat;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of Nightjar's reports, drawn with JFreeChart in headless mode and returned as PNG
 * bytes (reports embed them, so a report is one file that opens offline). One look for all: white
 * background, light grid, the series colours of {@link #PALETTE}, the reference in grey dashes,
 * what needs attention in red.
 */
public final class Charts {
  public static final int WIDTH = 760;
  public static final int HEIGHT = 380;

  static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd),
    new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22)
  };
  static final Color ALERT = new Color(0xd62728);
  static final Color REFERENCE = new Color(0x7f7f7f);

  static {
    // Reports are written by batch jobs on servers without a display.
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A dated series: {@code dates[i]} has {@code values[i]}. */
  public record DatedSeries(String name, List<LocalDate> dates, List<Double> values) {}

  /** A horizontal line across a chart, e.g. the holdout metric or an alert threshold. */
  public record Reference(String label, double value, boolean alert) {}

  /**
   * Horizontal bars with optional error bars (±{@code errors[i]}), first label on top; {@code
   * highlight} (or -1) is drawn in the second colour. Without {@code fromZero} the axis zooms in on
   * the values, which shows differences of a few percent (tuning results) that bars from zero would
   * hide.
   */
  public static byte[] bars(
      String title,
      String valueAxis,
      List<String> labels,
      double[] values,
      double[] errors,
      int highlight,
      Reference reference,
      boolean fromZero) {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (int i = 0; i < labels.size(); i++) {
      data.add(values[i], errors == null ? 0.0 : errors[i], "value", labels.get(i));
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, null, valueAxis, data, PlotOrientation.HORIZONTAL, false, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    StatisticalBarRenderer renderer =
        new StatisticalBarRenderer() {
          @Override
          public Paint getItemPaint(int row, int column) {
            return column == highlight ? PALETTE[1] : PALETTE[0];
          }
        };
    renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
    renderer.setDrawBarOutline(false);
    renderer.setShadowVisible(false);
    renderer.setIncludeBaseInRange(fromZero);
    renderer.setBarPainter(new StandardBarPainter());
    plot.setRenderer(renderer);
    plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    // Configuration labels are long ("gbt[xgboost]/squared {max_depth=5, num_trees=50}"): give them
    // room.
    plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.5f);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(fromZero);
    if (reference != null) {
      plot.addRangeMarker(marker(reference));
    }
    int height = Math.max(HEIGHT / 2, 90 + 22 * labels.size());
    return png(style(chart), WIDTH, height);
  }

  /** Lines over dates, one per series, with optional horizontal references. */
  public static byte[] overTime(
      String title, String valueAxis, List<DatedSeries> series, List<Reference> references) {
    TimeSeriesCollection data = new TimeSeriesCollection();
    for (DatedSeries s : series) {
      TimeSeries line = new TimeSeries(s.name());
      for (int i = 0; i < s.dates().size(); i++) {
        LocalDate d = s.dates().get(i);
        line.addOrUpdate(
            new Day(d.getDayOfMonth(), d.getMonthValue(), d.getYear()), s.values().get(i));
      }
      data.addSeries(line);
    }
    JFreeChart chart =
        ChartFactory.createTimeSeriesChart(
            title, "date", valueAxis, data, series.size() > 1, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(lines(series.size(), true));
    DateAxis dates = (DateAxis) plot.getDomainAxis();
    dates.setDateFormatOverride(new SimpleDateFormat("yyyy-MM-dd"));
    // Room for the first and last date labels, which the default margins clip.
    dates.setLowerMargin(0.05);
    dates.setUpperMargin(0.05);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    references.forEach(r -> plot.addRangeMarker(marker(r)));
    return png(style(chart), WIDTH, HEIGHT);
  }

  /**
   * Trials as points of {@code y} against {@code x}: those of {@code earlier} nights in grey, this
   * run's in the first colour, and, when {@code bestSoFar} is given, a line through it (NaN where
   * there is none yet), for the search history; without it, the metric against a parameter.
   */
  public static byte[] searchHistory(
      String title,
      String xAxis,
      String yAxis,
      double[] x,
      double[] y,
      boolean[] earlier,
      double[] bestSoFar) {
    XYSeries past = new XYSeries("earlier nights", false, true);
    XYSeries tonight = new XYSeries("this run", false, true);
    XYSeries best = new XYSeries("best so far (this run)", true, true);
    for (int i = 0; i < x.length; i++) {
      (earlier[i] ? past : tonight).add(x[i], y[i]);
      if (bestSoFar != null && !Double.isNaN(bestSoFar[i])) {
        best.add(x[i], bestSoFar[i]);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(past);
    data.addSeries(tonight);
    data.addSeries(best);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xAxis, yAxis, data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    renderer.setSeriesLinesVisible(0, false);
    renderer.setSeriesLinesVisible(1, false);
    renderer.setSeriesShapesVisible(2, false);
    renderer.setSeriesPaint(0, new Color(0x7f, 0x7f, 0x7f, 140));
    renderer.setSeriesPaint(1, PALETTE[0]);
    renderer.setSeriesPaint(2, PALETTE[1]);
    renderer.setSeriesStroke(2, new BasicStroke(2f));
    for (int i = 0; i < 2; i++) {
      renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
    }
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return png(style(chart), bestSoFar == null ? WIDTH / 2 + 60 : WIDTH, HEIGHT);
  }

  /** A scatter of {@code y} against {@code x}, with the line y = x when {@code diagonal}. */
  public static byte[] scatter(
      String title, String xAxis, String yAxis, double[] x, double[] y, boolean diagonal) {
    XYSeries points = new XYSeries("rows", false, true);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      points.add(x[i], y[i]);
      min = Math.min(min, Math.min(x[i], y[i]));
      max = Math.max(max, Math.max(x[i], y[i]));
    }
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            title,
            xAxis,
            yAxis,
            new XYSeriesCollection(points),
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    renderer.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4, 110));
    renderer.setSeriesShape(0, new Ellipse2D.Double(-2, -2, 4, 4));
    if (diagonal && x.length > 0) {
      plot.addAnnotation(new XYLineAnnotation(min, min, max, max, dashed(), REFERENCE));
    }
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    return png(style(chart), WIDTH / 2 + 60, HEIGHT);
  }

  /** A histogram of {@code values} in {@code bins} equal-width bins. */
  public static byte[] histogram(String title, String xAxis, double[] values, int bins) {
    HistogramDataset data = new HistogramDataset();
    data.addSeries("rows", values.length == 0 ? new double[] {0.0} : values, bins);
    JFreeChart chart =
        ChartFactory.createHistogram(
            title, xAxis, "rows", data, PlotOrientation.VERTICAL, false, false, false);
    XYBarRenderer renderer = (XYBarRenderer) chart.getXYPlot().getRenderer();
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setBarPainter(new StandardXYBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(true);
    renderer.setSeriesOutlinePaint(0, Color.WHITE);
    return png(style(chart), WIDTH / 2 + 60, HEIGHT);
  }

  /**
   * Curves through points on [0,1] × [0,1] (ROC, calibration), with the diagonal as reference. Each
   * curve is a pair of arrays {x, y}.
   */
  public static byte[] unitCurves(
      String title, String xAxis, String yAxis, Map<String, double[][]> curves) {
    XYSeriesCollection data = new XYSeriesCollection();
    curves.forEach(
        (name, xy) -> {
          XYSeries series = new XYSeries(name, false, true);
          for (int i = 0; i < xy[0].length; i++) {
            series.add(xy[0][i], xy[1][i]);
          }
          data.addSeries(series);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, xAxis, yAxis, data, PlotOrientation.VERTICAL, curves.size() > 1, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setRenderer(lines(curves.size(), false));
    plot.addAnnotation(new XYLineAnnotation(0, 0, 1, 1, dashed(), REFERENCE));
    for (NumberAxis axis :
        List.of((NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis())) {
      axis.setRange(0.0, 1.0);
    }
    return png(style(chart), WIDTH / 2 + 60, HEIGHT);
  }

  private static ValueMarker marker(Reference reference) {
    ValueMarker marker =
        new ValueMarker(reference.value(), reference.alert() ? ALERT : REFERENCE, dashed());
    marker.setLabel(reference.label());
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    marker.setLabelPaint(reference.alert() ? ALERT : Color.DARK_GRAY);
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    return marker;
  }

  /**
   * Draws {@code count} series as lines 2 px wide in the palette's colours, with a marker at each
   * point when {@code shapes}.
   */
  private static XYLineAndShapeRenderer lines(int count, boolean shapes) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, shapes);
    for (int i = 0; i < count; i++) {
      renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    return renderer;
  }

  private static BasicStroke dashed() {
    return new BasicStroke(
        1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    var plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    if (plot instanceof XYPlot xy) {
      xy.setDomainGridlinePaint(new Color(0xdddddd));
      xy.setRangeGridlinePaint(new Color(0xdddddd));
    } else if (plot instanceof CategoryPlot category) {
      category.setRangeGridlinePaint(new Color(0xdddddd));
    }
    return chart;
  }

  private static byte[] png(JFreeChart chart, int width, int height) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ChartUtils.writeChartAsPNG(out, chart, width, height);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot draw the chart '" + chart.getTitle().getText() + "'", e);
    }
  }
}
