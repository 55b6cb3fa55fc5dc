package io.nightjar.xgboost;

import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.types.StructType;

/**
 * What the estimators that change one thing about an {@link XGBoostRegressor} share ({@link
 * MedianStartRegressor}, {@link XGBoostQuantileRegressor}): every other setting (columns, trees,
 * workers) comes from the wrapped regressor, the output schema is its own, a copy wraps a copy of
 * it, and the fitted model is a standard {@link XGBoostRegressionModel}.
 *
 * @param <S> the estimator's own class, which {@link #copy} returns
 */
abstract class WrappedRegressor<S extends WrappedRegressor<S>>
    extends Estimator<XGBoostRegressionModel> {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final XGBoostRegressor regressor;

  WrappedRegressor(String uid, XGBoostRegressor regressor) {
    this.uid = uid;
    this.regressor = regressor;
  }

  /** The wrapped regressor (its objective, trees, columns and workers). */
  public XGBoostRegressor regressor() {
    return regressor;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return regressor.transformSchema(schema);
  }

  @Override
  public S copy(ParamMap extra) {
    return copyValues(create(uid, (XGBoostRegressor) ((Params) regressor).copy(extra)), extra);
  }

  /** A new estimator of this class with {@code uid}, wrapping {@code regressor}; params unset. */
  abstract S create(String uid, XGBoostRegressor regressor);
}
