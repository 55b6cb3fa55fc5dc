package io.nightjar.data;

/**
 * Input data rejected by validation: a missing column, a wrong type, bad labels, too few rows. Maps
 * to exit code 3. The message names the column and what was found, and nothing has been written
 * when it is thrown.
 */
public class DataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }

  public static void check(boolean test, String format, Object... args) {
    if (!test) {
      throw new DataException(String.format(format, args));
    }
  }
}
