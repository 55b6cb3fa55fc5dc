package io.nightjar.online;

import io.nightjar.data.Columns;
import io.nightjar.model.DenseFeatures;
import io.nightjar.model.estimators.PredictionOffset;
import java.util.Optional;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.DataTypes;

/**
 * Nightjar's own fitted stages: {@link DenseFeatures} (the features vector made dense) and {@link
 * PredictionOffset} (the constant a calibrated quantile model adds). Pipelines saved under their
 * old class names load as these classes ({@code io.nightjar.train}), so they compile the same.
 */
final class NightjarStages implements StageCompiler {
  @Override
  public Optional<RowStage> find(Transformer stage, RowColumns columns) {
    if (stage instanceof DenseFeatures) {
      RowColumn in = columns.input(Columns.FEATURES, stage);
      RowColumn out = columns.vector(Columns.FEATURES, in.size(), in.feature());
      return Optional.of(
          row -> {
            Vector vector = (Vector) row.get(in);
            row.set(out, vector == null ? null : vector.toDense());
          });
    }
    if (stage instanceof PredictionOffset shift) {
      String name = shift.getOrDefault(shift.predictionCol());
      RowColumn in = columns.input(name, stage);
      RowColumn out = columns.output(name, DataTypes.DoubleType, in.feature());
      double offset = shift.getOffset();
      return Optional.of(
          row -> {
            // col(prediction).cast("double").plus(offset): null stays null.
            Double value = SparkCasts.toDouble(row.get(in));
            row.set(out, value == null ? null : value + offset);
          });
    }
    return Optional.empty();
  }
}
