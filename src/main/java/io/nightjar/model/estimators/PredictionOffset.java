package io.nightjar.model.estimators;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Adds a constant to the prediction column: the correction {@link CalibratedQuantileRegression}
 * fits. The offset is a param, so it is saved in the stage's metadata with the pipeline.
 */
public final class PredictionOffset extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> predictionCol;
  private final DoubleParam offset;

  public PredictionOffset() {
    this(Identifiable$.MODULE$.randomUID("predictionOffset"));
  }

  /** The constructor {@link DefaultParamsReader} uses when loading a saved pipeline. */
  public PredictionOffset(String uid) {
    this.uid = uid;
    // Params take their parent's uid when created, so they are created after it is set.
    predictionCol = new Param<>(this, "predictionCol", "prediction column to shift");
    offset = new DoubleParam(this, "offset", "added to every prediction");
    setDefault(predictionCol, "prediction");
    setDefault(offset, 0.0);
  }

  public static MLReader<PredictionOffset> read() {
    return new DefaultParamsReader<>();
  }

  public static PredictionOffset load(String path) {
    return read().load(path);
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public DoubleParam offset() {
    return offset;
  }

  public PredictionOffset setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public PredictionOffset setOffset(double value) {
    set(offset, value);
    return this;
  }

  public double getOffset() {
    return ((Double) $(offset));
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    String column = $(predictionCol);
    return dataset.withColumn(column, col(column).cast("double").plus(((Double) $(offset))));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return schema;
  }

  @Override
  public PredictionOffset copy(ParamMap extra) {
    return (PredictionOffset) defaultCopy(extra);
  }
}
