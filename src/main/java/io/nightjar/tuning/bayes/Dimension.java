package io.nightjar.tuning.bayes;

/**
 * One coordinate of a search space: a continuous interval {@code [low, high]} (integers and log
 * scales are the caller's mapping onto it), or a categorical with {@code choices} values coded 0 to
 * {@code choices - 1}. A coordinate may apply to some points only: {@code activeWhen} is the value
 * of coordinate 0 (a categorical, e.g. which candidate) for which it applies, or {@link #ALWAYS}.
 * An inactive coordinate of a point is NaN.
 */
public record Dimension(double low, double high, int choices, int activeWhen) {
  public static final int ALWAYS = -1;

  public Dimension {
    if (choices == 0 && !(low < high)) {
      throw new IllegalArgumentException("low must be below high: " + low + ", " + high);
    }
    if (choices < 0) {
      throw new IllegalArgumentException("choices must be at least 0: " + choices);
    }
  }

  public static Dimension continuous(double low, double high, int activeWhen) {
    return new Dimension(low, high, 0, activeWhen);
  }

  public static Dimension categorical(int choices, int activeWhen) {
    if (choices < 1) {
      throw new IllegalArgumentException("a categorical needs at least one choice");
    }
    return new Dimension(0, 0, choices, activeWhen);
  }

  public boolean categorical() {
    return choices > 0;
  }

  /** Whether this coordinate applies to a point whose coordinate 0 is {@code first}. */
  boolean activeFor(double first) {
    return activeWhen == ALWAYS || first == activeWhen;
  }
}
