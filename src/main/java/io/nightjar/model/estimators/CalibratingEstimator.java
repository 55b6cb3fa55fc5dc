package io.nightjar.model.estimators;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * What the calibrating estimators share ({@link CalibratedQuantileRegression}, {@link
 * PlattCalibratedClassifier}): each wraps an estimator, fits it on seeded splits of the rows and
 * calibrates its output on rows it was not fitted on, and returns a {@link PipelineModel} of
 * standard stages under its own uid, so a saved pipeline names no class of this package but {@link
 * PredictionOffset}. The rows are persisted for the whole fit, which reads them several times.
 *
 * @param <S> the estimator's own class, which {@link #copy} returns
 */
abstract class CalibratingEstimator<S extends CalibratingEstimator<S>>
    extends Estimator<PipelineModel> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Estimator<?> wrapped;
  private final LongParam seed;
  private final Param<String> labelCol;
  private final Param<String> weightCol;

  /**
   * @param labelDoc the label column's description
   * @param seedDoc the description of the seed of the split
   */
  CalibratingEstimator(String uid, Estimator<?> wrapped, String labelDoc, String seedDoc) {
    this.uid = uid;
    this.wrapped = wrapped;
    // Params take their parent's uid when created, so they are created after it is set.
    weightCol = new Param<>(this, "weightCol", "row weight column; empty for none");
    seed = new LongParam(this, "seed", seedDoc);
    labelCol = new Param<>(this, "labelCol", labelDoc);
    setDefault(seed, 0L);
    setDefault(labelCol, "label");
    setDefault(weightCol, "");
  }

  public LongParam seed() {
    return seed;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  /** Sets the label column and the row weight column ({@code null} for none). */
  final void setLabelAndWeight(String label, String weight) {
    set(labelCol, label);
    set(weightCol, weight == null ? "" : weight);
  }

  /** The wrapped estimator. */
  final Estimator<?> wrapped() {
    return wrapped;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public final PipelineModel fit(Dataset<?> dataset) {
    Dataset<Row> rows = dataset.toDF().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return (PipelineModel) new PipelineModel(uid, stages(rows)).setParent(this);
    } finally {
      rows.unpersist();
    }
  }

  /** The fitted pipeline's stages, in order; {@code rows} stay persisted until this returns. */
  abstract List<Transformer> stages(Dataset<Row> rows);

  @Override
  public StructType transformSchema(StructType schema) {
    return wrapped.transformSchema(schema);
  }

  @Override
  public S copy(ParamMap extra) {
    Estimator<?> estimator = (Estimator<?>) ((Params) wrapped).copy(extra);
    return copyValues(create(uid, estimator), extra);
  }

  /** A new estimator of this class with {@code uid}, wrapping {@code wrapped}; params unset. */
  abstract S create(String uid, Estimator<?> wrapped);
}
