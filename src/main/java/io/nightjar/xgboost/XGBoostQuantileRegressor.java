package io.nightjar.xgboost;

import ml.dmlc.xgboost4j.scala.Booster;
import ml.dmlc.xgboost4j.scala.spark.ColumnIndices;
import ml.dmlc.xgboost4j.scala.spark.RuntimeParams;
import ml.dmlc.xgboost4j.scala.spark.Watches;
import ml.dmlc.xgboost4j.scala.spark.XGBoost$;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import ml.dmlc.xgboost4j.scala.spark.XGBoostTrainingSummary$;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import scala.Tuple2;
import scala.collection.immutable.Map;

/**
 * XGBoost's native quantile objective ({@code reg:quantileerror}) with its {@code quantile_alpha},
 * which XGBoost4J-Spark 3.1.1 has no param for (a {@code quantile_alpha} given through its param
 * map is dropped, and training then fails natively). This runs the same steps as {@code
 * XGBoostRegressor.train} (validate, preprocess, distributed training, model creation) with {@code
 * quantile_alpha} added to the native parameters. Every other setting comes from the wrapped {@link
 * XGBoostRegressor}; the fitted model is a standard {@link XGBoostRegressionModel}, whose saved
 * booster carries the objective.
 *
 * <p>Its predictions cover about τ of the training rows but, like any flexible quantile model, less
 * than that on new rows when it overfits: {@link
 * io.nightjar.model.estimators.CalibratedQuantileRegression} corrects for this.
 */
public final class XGBoostQuantileRegressor extends WrappedRegressor<XGBoostQuantileRegressor> {
  private static final long serialVersionUID = 1L;

  private final DoubleParam quantile;

  /**
   * Trains {@code regressor} (its columns, trees and workers) with the quantile objective at {@code
   * tau}.
   */
  public XGBoostQuantileRegressor(XGBoostRegressor regressor, double tau) {
    this(Identifiable$.MODULE$.randomUID("xgboostQuantile"), regressor);
    set(quantile, tau);
  }

  private XGBoostQuantileRegressor(String uid, XGBoostRegressor regressor) {
    super(uid, regressor);
    // Params take their parent's uid when created, so they are created after it is set.
    quantile = new DoubleParam(this, "quantile", "τ in (0, 1): XGBoost's quantile_alpha");
    regressor.setObjective("reg:quantileerror");
  }

  public DoubleParam quantile() {
    return quantile;
  }

  @Override
  public XGBoostRegressionModel fit(Dataset<?> dataset) {
    XGBoostRegressor regressor = regressor();
    regressor.validate(dataset);
    Tuple2<Dataset<?>, ColumnIndices> prepared = regressor.preprocess(dataset);
    RDD<Watches> watches = regressor.toRdd(prepared._1(), prepared._2());
    RuntimeParams runtime =
        regressor.getRuntimeParameters(
            dataset.sparkSession().sparkContext().isLocal(),
            scala.collection.immutable.Map$.MODULE$.empty());
    Map<String, Object> params =
        regressor
            .getXGBoostParams()
            .$plus(new Tuple2<>("quantile_alpha", (Object) ((Double) $(quantile))));
    Tuple2<Booster, Map<String, float[]>> trained =
        XGBoost$.MODULE$.train(watches, runtime, params);
    XGBoostRegressionModel model =
        regressor.createModel(trained._1(), XGBoostTrainingSummary$.MODULE$.apply(trained._2()));
    return (XGBoostRegressionModel) regressor.copyValues(model, regressor.copyValues$default$2());
  }

  @Override
  XGBoostQuantileRegressor create(String uid, XGBoostRegressor regressor) {
    return new XGBoostQuantileRegressor(uid, regressor);
  }
}
