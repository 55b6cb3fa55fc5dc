package io.nightjar.config;

/**
 * A grid key given as a range, {@code {min, max, scale}}: a search that samples ({@code random},
 * {@code halving}, {@code bayes}) draws values from it instead of picking from a list. {@code
 * whole} ranges (keys such as {@code max_depth}) draw whole numbers. On the {@code log} scale,
 * equal ratios are equally likely, which suits keys such as {@code learning_rate} whose effect
 * depends on their order of magnitude.
 */
public record GridRange(double min, double max, Scale scale, boolean whole) {
  /** How values are spread between {@code min} and {@code max}. */
  public enum Scale {
    LINEAR,
    LOG
  }

  public GridRange {
    if (!(min < max)) {
      throw new IllegalArgumentException("min must be below max: " + min + ", " + max);
    }
  }

  /** Whether {@code value} lies in the range (a whole range also needs a whole number). */
  public boolean contains(double value) {
    return value >= min && value <= max && (!whole || value == Math.rint(value));
  }

  /** {@code value} on the scale draws are uniform on: its logarithm on the log scale. */
  public double toUnit(double value) {
    return scale == Scale.LOG ? Math.log(value) : value;
  }

  /** The inverse of {@link #toUnit}, rounded for a whole range and kept within the range. */
  public double fromUnit(double unit) {
    double value = scale == Scale.LOG ? Math.exp(unit) : unit;
    if (whole) {
      value = Math.rint(value);
    }
    return Math.min(max, Math.max(min, value));
  }

  /** The bounds on the unit scale; a whole range extends by half a step so ends are as likely. */
  public double unitLow() {
    return toUnit(whole ? min - 0.5 : min);
  }

  public double unitHigh() {
    return toUnit(whole ? max + 0.5 : max);
  }
}
