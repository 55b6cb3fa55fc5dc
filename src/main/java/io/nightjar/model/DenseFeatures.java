package io.nightjar.model;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.nightjar.data.Columns;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the {@link Columns#FEATURES} vector dense. {@code VectorAssembler} writes a row as a sparse
 * vector when most of its values are 0, and XGBoost4J-Spark 3.1.1 mixes up sparse rows when it
 * predicts (dmlc/xgboost#12404, fixed in 3.4.1): without this stage, rows with many zero features
 * get wrong predictions and nothing fails. A real pipeline stage, so it is saved and loaded with
 * the model.
 */
public final class DenseFeatures extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  private static final UserDefinedFunction TO_DENSE =
      udf(
          (UDF1<Vector, Vector>) vector -> vector == null ? null : vector.toDense(),
          SQLDataTypes.VectorType());

  private final String uid;

  public DenseFeatures() {
    this(org.apache.spark.ml.util.Identifiable$.MODULE$.randomUID("denseFeatures"));
  }

  /** The constructor {@link DefaultParamsReader} uses when loading a saved pipeline. */
  public DenseFeatures(String uid) {
    this.uid = uid;
  }

  /** Spark ML's loader for saved pipelines finds this by reflection. */
  public static MLReader<DenseFeatures> read() {
    return new DefaultParamsReader<>();
  }

  public static DenseFeatures load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    return dataset.withColumn(Columns.FEATURES, TO_DENSE.apply(col(Columns.FEATURES)));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return schema;
  }

  @Override
  public DenseFeatures copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
