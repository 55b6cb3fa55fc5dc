package io.nightjar.xgboost;

import static org.apache.spark.sql.functions.col;

import java.util.Arrays;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressionModel;
import ml.dmlc.xgboost4j.scala.spark.XGBoostRegressor;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;

/**
 * An XGBoost regressor whose boosting starts from the median of the training labels ({@code
 * base_score}) instead of the intercept XGBoost estimates. For {@code reg:pseudohubererror}
 * XGBoost's estimate is one Newton step from 0 whose hessian vanishes when labels are far from 0,
 * so it overshoots by orders of magnitude, and with {@code min_child_weight} counted in that
 * vanishing hessian no tree can split afterwards: the model predicts one wrong constant
 * (dmlc/xgboost#7674, #9378; measured here: RMSE 674 on Friedman #1, whose labels lie in 0..30).
 * The median is where a Huber fit of a constant lands for symmetric noise and is robust to the
 * outliers Huber is chosen for. The fitted model is a standard {@link XGBoostRegressionModel} with
 * the start in its booster.
 */
public final class MedianStartRegressor extends WrappedRegressor<MedianStartRegressor> {
  private static final long serialVersionUID = 1L;

  /** Relative rank error of the median: the start need only be central, not exact. */
  static final double MEDIAN_ERROR = 0.001;

  public MedianStartRegressor(XGBoostRegressor regressor) {
    this(Identifiable$.MODULE$.randomUID("xgboostMedianStart"), regressor);
  }

  private MedianStartRegressor(String uid, XGBoostRegressor regressor) {
    super(uid, regressor);
  }

  @Override
  public XGBoostRegressionModel fit(Dataset<?> dataset) {
    String label = regressor().getLabelCol();
    double median =
        dataset
            .select(col(label).cast("double").as("y"))
            .na()
            .drop()
            .stat()
            .approxQuantile("y", new double[] {0.5}, MEDIAN_ERROR)[0];
    XGBoostRegressor started = (XGBoostRegressor) ((Params) regressor()).copy(ParamMap.empty());
    started.setBaseScore(median);
    return started.fit(dataset);
  }

  /** The exact median of {@code labels}, as the in-memory tuning fits start from it. */
  public static double median(double[] labels) {
    double[] sorted = labels.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0 ? 0.0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  @Override
  MedianStartRegressor create(String uid, XGBoostRegressor regressor) {
    return new MedianStartRegressor(uid, regressor);
  }
}
