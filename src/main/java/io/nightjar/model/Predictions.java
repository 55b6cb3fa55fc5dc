package io.nightjar.model;

import static org.apache.spark.sql.functions.col;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.functions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs a fitted pipeline and shapes its output: {@link Columns#PREDICTION} as a double, and for
 * classification {@link Columns#PROBABILITY} = P(label = 1) as a double.
 */
public final class Predictions {
  private Predictions() {}

  public static Dataset<Row> predict(Transformer model, Task task, Dataset<Row> rows) {
    Dataset<Row> out = model.transform(rows);
    if (task == Task.CLASSIFICATION) {
      out =
          out.withColumn(
              Columns.PROBABILITY,
              functions.vector_to_array(col(Columns.PROBABILITY_VECTOR), "float64").getItem(1));
    }
    return out.withColumn(Columns.PREDICTION, col(Columns.PREDICTION).cast("double"));
  }
}
