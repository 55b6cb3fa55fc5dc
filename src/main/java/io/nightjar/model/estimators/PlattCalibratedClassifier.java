package io.nightjar.model.estimators;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.Matrices;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Gives a margin classifier (hinge loss: {@code LinearSVC}, XGBoost {@code binary:hinge})
 * calibrated probabilities by Platt scaling on rows it was not fitted on. The wrapped estimator
 * writes its class (0/1) to the prediction column and its margin m to the raw-prediction vector as
 * {@code [−m, m]}, as both of those do. {@code fit}:
 *
 * <ol>
 *   <li>sets {@code calibrationShare} of the rows apart (seeded, so the same rows give the same
 *       model) and fits the margin classifier on the rest;
 *   <li>fits {@code P(y = 1) = 1 / (1 + exp(−(a·m + b)))} on the set-apart rows by weighted
 *       logistic regression, with {@code a ≥ 0} so that the probability never falls as the margin
 *       grows;
 *   <li>returns the pipeline {@code margin classifier → margin → calibrator}, which writes the
 *       probability vector {@code [1 − p, p]}.
 * </ol>
 *
 * <p>The class stays the margin classifier's decision ({@code m > 0}, what hinge loss trains for);
 * near the boundary the calibrated probability can be on the other side of 0.5. The fitted {@link
 * PipelineModel} consists of standard Spark ML stages and saves and loads as such.
 */
public final class PlattCalibratedClassifier
    extends CalibratingEstimator<PlattCalibratedClassifier> {
  private static final long serialVersionUID = 1L;

  private final DoubleParam calibrationShare;
  private final Param<String> rawPredictionCol;
  private final Param<String> marginCol;
  private final Param<String> probabilityCol;

  public PlattCalibratedClassifier(Estimator<?> marginClassifier) {
    this(Identifiable$.MODULE$.randomUID("plattCalibrated"), marginClassifier);
  }

  private PlattCalibratedClassifier(String uid, Estimator<?> marginClassifier) {
    super(uid, marginClassifier, "label column (0/1)", "seed of the calibration split");
    calibrationShare =
        new DoubleParam(
            this, "calibrationShare", "share of rows set apart for calibration, in (0, 1)");
    rawPredictionCol =
        new Param<>(this, "rawPredictionCol", "the margin classifier's [−m, m] column");
    marginCol = new Param<>(this, "marginCol", "working column holding [m]");
    probabilityCol = new Param<>(this, "probabilityCol", "calibrated probability vector column");
    setDefault(calibrationShare, 0.2);
    setDefault(rawPredictionCol, "rawPrediction");
    setDefault(marginCol, "margin");
    setDefault(probabilityCol, "probability");
  }

  public DoubleParam calibrationShare() {
    return calibrationShare;
  }

  public Param<String> rawPredictionCol() {
    return rawPredictionCol;
  }

  public Param<String> marginCol() {
    return marginCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  /**
   * The columns read and written; {@code margin} is a working column the fitted pipeline leaves in
   * its output.
   */
  public PlattCalibratedClassifier setColumns(
      String label, String weight, String rawPrediction, String margin, String probability) {
    setLabelAndWeight(label, weight);
    set(rawPredictionCol, rawPrediction);
    set(marginCol, margin);
    set(probabilityCol, probability);
    return this;
  }

  @Override
  List<Transformer> stages(Dataset<Row> rows) {
    double share = ((Double) $(calibrationShare));
    Dataset<Row>[] split = rows.randomSplit(new double[] {1 - share, share}, ((Long) $(seed())));
    Transformer margins = (Transformer) wrapped().fit(split[0]);
    VectorSlicer margin =
        new VectorSlicer()
            .setInputCol($(rawPredictionCol))
            .setOutputCol($(marginCol))
            .setIndices(new int[] {1});
    LogisticRegressionModel calibrator =
        calibrator().fit(margin.transform(margins.transform(split[1])));
    return List.of(margins, margin, calibrator);
  }

  private LogisticRegression calibrator() {
    LogisticRegression platt =
        new LogisticRegression()
            .setFamily("binomial")
            .setFeaturesCol($(marginCol))
            .setLabelCol($(labelCol()))
            .setProbabilityCol($(probabilityCol))
            // The class comes from the margin classifier; empty names make Spark skip these
            // outputs.
            .setPredictionCol("")
            .setRawPredictionCol("")
            .setLowerBoundsOnCoefficients(Matrices.dense(1, 1, new double[] {0.0}))
            .setMaxIter(100);
    if (!$(weightCol()).isEmpty()) {
      platt.setWeightCol($(weightCol()));
    }
    return platt;
  }

  @Override
  PlattCalibratedClassifier create(String uid, Estimator<?> marginClassifier) {
    return new PlattCalibratedClassifier(uid, marginClassifier);
  }
}
