package io.nightjar;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.config.Task;
import io.nightjar.model.Predictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Fitted pipelines in tests: what they predict, and that they save and load. */
public final class TestPipelines {
  private TestPipelines() {}

  /** {@code model}'s predictions of {@code rows}: the id and {@code columns}, ordered by id. */
  public static List<Row> predictionsById(
      Transformer model, Task task, Dataset<Row> rows, String... columns) {
    List<Column> selected = new ArrayList<>(List.of(functions.col("id")));
    for (String column : columns) {
      selected.add(functions.col(column));
    }
    return Predictions.predict(model, task, rows)
        .select(selected.toArray(Column[]::new))
        .orderBy("id")
        .collectAsList();
  }

  /**
   * Saves {@code model} under {@code dir}, loads it back as scoring loads an artifact, and asserts
   * that the loaded pipeline predicts {@code rows} exactly as {@code model} does; returns those
   * predictions ({@link #predictionsById}).
   */
  public static List<Row> assertPredictsTheSameWhenLoaded(
      PipelineModel model, Task task, Dataset<Row> rows, Path dir, String... columns)
      throws Exception {
    String path = dir.resolve("pipeline").toString();
    model.write().save(path);
    List<Row> before = predictionsById(model, task, rows, columns);
    assertThat(predictionsById(PipelineModel.load(path), task, rows, columns)).isEqualTo(before);
    return before;
  }
}
