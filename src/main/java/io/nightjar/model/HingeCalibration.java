package io.nightjar.model;

import io.nightjar.data.Columns;
import io.nightjar.model.estimators.PlattCalibratedClassifier;
import org.apache.spark.ml.Estimator;

/**
 * Wraps a hinge-loss classifier of any family so that it gives probabilities like the logistic
 * models do: the class in {@link Columns#PREDICTION}, and P(label = 1) at index 1 of {@link
 * Columns#PROBABILITY_VECTOR}, calibrated on held-out rows ({@link PlattCalibratedClassifier}).
 */
public final class HingeCalibration {
  /**
   * Working column of the fitted pipeline: the margin as a one-element vector, the calibrator's
   * input.
   */
  static final String MARGIN = "__margin";

  /**
   * Share of the rows set apart to calibrate the probabilities; the margin classifier fits on the
   * rest.
   */
  static final double CALIBRATION_SHARE = 0.2;

  private HingeCalibration() {}

  /**
   * {@code marginClassifier} writes the class to PREDICTION and {@code [−m, m]} to RAW_PREDICTION.
   */
  public static PlattCalibratedClassifier of(Estimator<?> marginClassifier, boolean weighted) {
    PlattCalibratedClassifier calibrated =
        new PlattCalibratedClassifier(marginClassifier)
            .setColumns(
                Columns.LABEL,
                weighted ? Columns.WEIGHT : null,
                Columns.RAW_PREDICTION,
                MARGIN,
                Columns.PROBABILITY_VECTOR);
    calibrated.set(calibrated.calibrationShare(), CALIBRATION_SHARE);
    return calibrated;
  }
}
