package io.nightjar.data;

/**
 * Names of the columns Nightjar adds to frames while it works. They start with two underscores so
 * they cannot clash with a user's columns (spec validation refuses user columns named like this).
 */
public final class Columns {
  public static final String LABEL = "__label";
  public static final String WEIGHT = "__weight";
  public static final String FEATURES = "__features";
  public static final String FOLD = "__fold";
  public static final String RAW_PREDICTION = "__raw";
  public static final String PROBABILITY_VECTOR = "__probability";

  /** Output columns of every scored frame, named as in the prediction table (docs/tables.md). */
  public static final String PREDICTION = "prediction";

  public static final String PROBABILITY = "probability";

  private Columns() {}
}
