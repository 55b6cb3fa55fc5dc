package io.nightjar.online;

/**
 * A feature value that the row scorer cannot read as its feature's kind (e.g. text for a numeric
 * feature). The message names the feature, the value and what is valid; the HTTP lookup answers 400
 * with it.
 */
public final class RowInputException extends IllegalArgumentException {
  private final String feature;

  public RowInputException(String feature, String message) {
    super(message);
    this.feature = feature;
  }

  /** The feature column whose value was refused. */
  public String feature() {
    return feature;
  }
}
