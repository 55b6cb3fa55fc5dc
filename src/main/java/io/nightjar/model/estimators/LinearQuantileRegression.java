package io.nightjar.model.estimators;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Linear quantile regression: minimises {@code Σ b·ρτ(y − x·β − β0) / Σ b + (regParam / 2)·Σ
 * (βj·sj)²}, where {@code ρτ(r) = max(τ r, (τ − 1) r)} is the pinball loss, {@code b} the row
 * weight (1 without a weight column) and {@code sj} the weighted standard deviation of feature j
 * (the penalty is on standardised coefficients, as for Spark's other linear models; the intercept
 * is not penalised). {@code quantile} 0.5 is least absolute deviations.
 *
 * <p>Fitted by iteratively reweighted least squares: each pass sums the normal equations of a
 * weighted least-squares problem in one Spark aggregation (on the driver, over rows collected once,
 * for up to 100,000 rows) and solves them on the driver, with row weights {@code b·(r ≥ 0 ? τ : 1 −
 * τ) / max(|r|, ε)} from the previous pass's residuals r. These weights make the squared loss's
 * gradient equal the pinball loss's at the current fit, so the passes converge to the pinball
 * minimum; without a penalty, {@link VertexPolish} then makes the fit exact. (Spark's {@code
 * LinearRegression} as the inner solver costs several jobs per pass and rescales its penalty with
 * the weighted label spread, which changes from pass to pass.) The solve holds a dense (features +
 * 1)² matrix on the driver and in every task: fine for hundreds of features, slow for thousands.
 * The fitted model is a plain {@link LinearRegressionModel}, so it saves and loads as one.
 */
public final class LinearQuantileRegression extends Estimator<LinearRegressionModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  /**
   * ε of the first pass, as a share of the label's standard deviation; it shrinks by the decay to
   * the final one.
   */
  private static final double INITIAL_EPSILON = 0.1;

  private static final double FINAL_EPSILON = 1e-6;
  private static final double EPSILON_DECAY = 0.6;

  /** Up to this many rows, the passes run on the driver over rows collected once. */
  private static final long LOCAL_ROWS = 100_000;

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> weightCol;
  private final DoubleParam quantile;
  private final DoubleParam regParam;
  private final IntParam maxIter;
  private final DoubleParam tol;

  public LinearQuantileRegression() {
    this(Identifiable$.MODULE$.randomUID("linearQuantile"));
  }

  /** The constructor {@link DefaultParamsReader} and {@link #copy} use. */
  public LinearQuantileRegression(String uid) {
    this.uid = uid;
    // Params take their parent's uid when created, so they are created after it is set.
    weightCol = new Param<>(this, "weightCol", "row weight column; empty for none");
    featuresCol = new Param<>(this, "featuresCol", "features vector column");
    labelCol = new Param<>(this, "labelCol", "label column");
    predictionCol = new Param<>(this, "predictionCol", "prediction column");
    quantile = new DoubleParam(this, "quantile", "τ in (0, 1): the quantile predicted");
    regParam = new DoubleParam(this, "regParam", "L2 penalty (>= 0)");
    maxIter = new IntParam(this, "maxIter", "maximum reweighting passes");
    tol = new DoubleParam(this, "tol", "relative coefficient change that ends the passes");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(weightCol, "");
    setDefault(quantile, 0.5);
    setDefault(regParam, 0.0);
    setDefault(maxIter, 100);
    setDefault(tol, 1e-6);
  }

  public static MLReader<LinearQuantileRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static LinearQuantileRegression load(String path) {
    return read().load(path);
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> weightCol() {
    return weightCol;
  }

  public DoubleParam quantile() {
    return quantile;
  }

  public DoubleParam regParam() {
    return regParam;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam tol() {
    return tol;
  }

  public LinearQuantileRegression setColumns(
      String features, String label, String prediction, String weight) {
    set(featuresCol, features);
    set(labelCol, label);
    set(predictionCol, prediction);
    set(weightCol, weight == null ? "" : weight);
    return this;
  }

  public LinearQuantileRegression setQuantile(double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException("Invalid quantile " + value + ": use a number in (0, 1).");
    }
    set(quantile, value);
    return this;
  }

  public LinearQuantileRegression setRegParam(double value) {
    set(regParam, value);
    return this;
  }

  public LinearQuantileRegression setMaxIter(int value) {
    set(maxIter, value);
    return this;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public LinearRegressionModel fit(Dataset<?> dataset) {
    String weight = $(weightCol);
    Dataset<Row> rows =
        dataset
            .select(
                col($(featuresCol)),
                col($(labelCol)).cast("double"),
                (weight.isEmpty() ? lit(1.0) : col(weight).cast("double")))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> first = rows.takeAsList(1);
      if (first.isEmpty()) {
        throw new IllegalArgumentException("Cannot fit a quantile regression on no rows.");
      }
      int features = ((Vector) first.get(0).get(0)).size();
      // A Spark job per pass costs more than the arithmetic on small data: collect it once and pass
      // on the driver.
      List<Row> local = rows.count() <= LOCAL_ROWS ? rows.collectAsList() : null;
      double[] beta = reweight(rows.javaRDD(), local, features);
      LinearRegressionModel model =
          new LinearRegressionModel(
              uid, new DenseVector(Arrays.copyOfRange(beta, 1, beta.length)), beta[0]);
      model.setFeaturesCol($(featuresCol)).setPredictionCol($(predictionCol));
      return (LinearRegressionModel) model.setParent(this);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * {@code [intercept, coefficients…]}: weighted least squares first, then the reweighting passes.
   */
  private double[] reweight(JavaRDD<Row> rows, List<Row> local, int features) {
    double tau = (Double) $(quantile);
    NormalEquations leastSquares = aggregate(rows, local, features, null, tau, 0.0);
    double[] penalty = penalty(leastSquares, features);
    double[] beta = leastSquares.solve(penalty);
    // ε keeps the weight of rows the fit passes through finite. It starts large and shrinks every
    // pass: with a small ε from the start, a row whose residual happens to come close to 0 gets a
    // huge weight and pins the fit there. Relative to the label's spread, so that it does not
    // depend on the label's units.
    double spread = Math.max(leastSquares.labelStd(), 1e-12);
    double epsilon = INITIAL_EPSILON * spread;
    double finalEpsilon = FINAL_EPSILON * spread;
    for (int pass = 0; pass < (Integer) $(maxIter); pass++) {
      double[] next = aggregate(rows, local, features, beta, tau, epsilon).solve(penalty);
      boolean converged = epsilon <= finalEpsilon && change(beta, next) < (Double) $(tol);
      beta = next;
      if (converged) {
        break;
      }
      epsilon = Math.max(finalEpsilon, epsilon * EPSILON_DECAY);
    }
    return (Double) $(regParam) == 0 ? VertexPolish.polish(rows, beta, tau) : beta;
  }

  /**
   * The diagonal that turns the least-squares step into the penalised objective of the class
   * comment: {@code regParam · Σb · sj²} (the step's loss is a sum, the objective's a mean). NaN
   * marks a constant feature, held at 0.
   */
  private double[] penalty(NormalEquations leastSquares, int features) {
    double[] penalty = new double[features];
    for (int j = 0; j < features; j++) {
      double sd = leastSquares.featureStd(j);
      penalty[j] = sd > 0 ? (Double) $(regParam) * leastSquares.baseWeight() * sd * sd : Double.NaN;
    }
    return penalty;
  }

  /**
   * One pass over the rows ({@code local} when collected, else {@code rows}): the least-squares
   * system with weights {@code b} (when {@code beta} is null) or {@code b·(r ≥ 0 ? τ : 1 − τ) /
   * max(|r|, ε)} for the residuals r of {@code beta}. Static, so that the closure does not capture
   * the estimator.
   */
  private static NormalEquations aggregate(
      JavaRDD<Row> rows, List<Row> local, int features, double[] beta, double tau, double epsilon) {
    if (local != null) {
      NormalEquations system = new NormalEquations(features);
      for (Row row : local) {
        accumulate(system, row, beta, tau, epsilon);
      }
      return system;
    }
    return rows.treeAggregate(
        new NormalEquations(features),
        (system, row) -> accumulate(system, row, beta, tau, epsilon),
        NormalEquations::merge);
  }

  private static NormalEquations accumulate(
      NormalEquations system, Row row, double[] beta, double tau, double epsilon) {
    double[] x = ((Vector) row.get(0)).toArray();
    double y = row.getDouble(1);
    double base = row.getDouble(2);
    double w = base;
    if (beta != null) {
      double r = y - VertexPolish.predict(beta, x);
      w = base * (r >= 0 ? tau : 1 - tau) / Math.max(Math.abs(r), epsilon);
    }
    return system.add(x, y, w, base);
  }

  /** Largest change of a coefficient or the intercept, relative to the size of the fit. */
  private static double change(double[] before, double[] after) {
    double largest = 0;
    double delta = 0;
    for (int j = 0; j < after.length; j++) {
      largest = Math.max(largest, Math.abs(after[j]));
      delta = Math.max(delta, Math.abs(after[j] - before[j]));
    }
    return delta / (1.0 + largest);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return schema.add($(predictionCol), DataTypes.DoubleType, false);
  }

  @Override
  public LinearQuantileRegression copy(ParamMap extra) {
    return (LinearQuantileRegression) defaultCopy(extra);
  }
}
