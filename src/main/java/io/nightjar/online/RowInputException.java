package io.nightjar.online;

/**
 * A feature value that the row scorer cannot read as its feature's kind (e.g. text for a numeric
 * feature). The message names the feature, the value and what is valid; the HTTP lookup answers 400
 * with it.
 */
public final class RowInputException extends IllegalArgumentException {
  private final String feature;
  private final int row;

  public RowInputException(String feature, String message) {
    this(feature, message, -1);
  }

  private RowInputException(String feature, String message, int row) {
    super(message);
    this.feature = feature;
    this.row = row;
  }

  /**
   * The refusal of a value of {@code feature} that {@code stage} drops ({@code handleInvalid =
   * skip}) or fails on ({@code error}) in a batch, as {@code it <what>, and <stage> (handleInvalid
   * = <handle>) drops such rows<detail>.}; a row scorer cannot drop a row, so it refuses it.
   */
  static RowInputException handleInvalid(
      String feature, String what, String stage, String handle, String detail) {
    return new RowInputException(
        feature,
        String.format(
            "Cannot score feature '%s': it %s, and %s (handleInvalid = %s) %s such rows%s.",
            feature, what, stage, handle, handle.equals("skip") ? "drops" : "fails on", detail));
  }

  /** The same refusal, for the row at {@code index} of a batch ({@link RowScorer#scoreAll}). */
  RowInputException inRow(int index) {
    RowInputException out = new RowInputException(feature, getMessage(), index);
    out.initCause(this);
    return out;
  }

  /** The index of the refused row in its batch; -1 when one row was scored. */
  public int row() {
    return row;
  }

  /** The feature column whose value was refused. */
  public String feature() {
    return feature;
  }
}
