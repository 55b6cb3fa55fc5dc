package io.nightjar.bench;

import io.nightjar.data.DemoData;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The data and spec of issue 4's tuning benchmark: Friedman #1 with 20 features (5 informative,
 * noise sd 1), seed 42, one XGBoost squared-loss candidate, 3 folds and a 20% holdout. The
 * benchmarks differ only in the grid.
 */
final class Friedman {
  /** The issue's grid. */
  static final String ISSUE_GRID = "{max_depth: [3, 5], num_trees: [20, 50], learning_rate: [0.1]}";

  private Friedman() {}

  /** {@code rows} rows: id, x1..x20 and label. */
  static Dataset<Row> rows(SparkSession spark, long rows) {
    return DemoData.regression(spark, 0, rows, 42, LocalDate.of(2024, 1, 1))
        .drop("segment", "event_time");
  }

  /** The spec of model {@code name} training on table {@code bench.friedman} with {@code grid}. */
  static String spec(String name, String grid) {
    return """
        name: %s
        task: regression
        data: {training: {table: bench.friedman}, id: id, label: label}
        candidates:
          - {family: gbt, engine: xgboost, loss: squared, grid: %s}
        tuning: {folds: 3, metric: rmse, holdout: 0.2, seed: 42}
        """
        .formatted(name, grid);
  }
}
