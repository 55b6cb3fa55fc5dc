package io.nightjar.registry;

/** An unknown model or version, or a missing or unreadable artifact. Maps to exit code 2. */
public class RegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }

  public static void check(boolean test, String format, Object... args) {
    if (!test) {
      throw new RegistryException(String.format(format, args));
    }
  }
}
