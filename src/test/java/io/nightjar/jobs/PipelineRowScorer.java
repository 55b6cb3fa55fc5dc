package io.nightjar.jobs;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.model.Predictions;
import io.nightjar.online.FeatureInput;
import io.nightjar.online.FeatureKind;
import io.nightjar.online.RowInputException;
import io.nightjar.online.RowPrediction;
import io.nightjar.online.RowScorer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A row scorer for tests that scores each row with the pipeline's batch {@code transform} on a
 * one-row frame: one Spark job per row, so it is a reference, not a server's scorer. It reads
 * values as the contract says: numbers for numeric features, text for string ones.
 */
final class PipelineRowScorer implements RowScorer {
  private final SparkSession spark;
  private final PipelineModel pipeline;
  private final Task task;
  private final StructType schema;
  private final StructType frameSchema;

  private PipelineRowScorer(
      SparkSession spark, PipelineModel pipeline, Task task, StructType schema) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.task = task;
    this.schema = schema;
    // Booleans reach the pipeline as 0/1 doubles, as batch scoring casts them.
    StructType frame = new StructType();
    for (StructField field : schema.fields()) {
      frame =
          frame.add(
              field.name(),
              field.dataType().equals(DataTypes.BooleanType)
                  ? DataTypes.DoubleType
                  : field.dataType());
    }
    this.frameSchema = frame;
  }

  /** The compiler that makes these scorers. */
  static OnlineScoring.Compiler compiler(SparkSession spark) {
    return (pipeline, task, schema) -> new PipelineRowScorer(spark, pipeline, task, schema);
  }

  @Override
  public RowPrediction score(Map<String, ?> features) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      StructField field = schema.fields()[i];
      values[i] = value(field.name(), field.dataType(), features.get(field.name()));
    }
    Row out =
        Predictions.predict(
                pipeline,
                task,
                spark.createDataFrame(List.of(RowFactory.create(values)), frameSchema))
            .first();
    double prediction = out.getDouble(out.fieldIndex(Columns.PREDICTION));
    Double probability =
        task == Task.CLASSIFICATION ? out.getDouble(out.fieldIndex(Columns.PROBABILITY)) : null;
    return new RowPrediction(prediction, probability);
  }

  private static Object value(String name, DataType type, Object value) {
    if (value == null) {
      return null;
    }
    if (type.equals(DataTypes.BooleanType)) {
      if (!(value instanceof Boolean flag)) {
        throw new RowInputException(
            name,
            String.format("Invalid value for '%s': '%s'. Expected true or false.", name, value));
      }
      return flag ? 1.0 : 0.0;
    }
    if (type.equals(DataTypes.StringType)) {
      if (!(value instanceof String)) {
        throw new RowInputException(
            name, String.format("Invalid value for '%s': '%s'. Expected text.", name, value));
      }
      return value;
    }
    if (!(value instanceof Number number)) {
      throw new RowInputException(
          name, String.format("Invalid value for '%s': '%s'. Expected a number.", name, value));
    }
    if (type.equals(DataTypes.LongType)) {
      return number.longValue();
    }
    if (type.equals(DataTypes.IntegerType)) {
      return number.intValue();
    }
    return number.doubleValue();
  }

  @Override
  public List<FeatureInput> inputs() {
    List<FeatureInput> out = new ArrayList<>();
    for (StructField field : schema.fields()) {
      FeatureKind kind =
          field.dataType().equals(DataTypes.StringType)
              ? FeatureKind.STRING
              : field.dataType().equals(DataTypes.DoubleType)
                  ? FeatureKind.NUMBER
                  : FeatureKind.INTEGER;
      out.add(new FeatureInput(field.name(), kind, field.dataType().simpleString()));
    }
    return out;
  }

  @Override
  public Task task() {
    return task;
  }
}
