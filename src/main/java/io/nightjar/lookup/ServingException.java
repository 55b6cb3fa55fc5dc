package io.nightjar.lookup;

/**
 * A request that on-demand scoring cannot answer, with the HTTP status to answer it with and one
 * sentence that says why and what would work: 404 (no such version, no features for the id), 400 (a
 * bad body or feature value), 503 (the model version is still loading; retry after {@link
 * #retryAfterSeconds()}).
 */
public final class ServingException extends RuntimeException {
  private final int status;
  private final int retryAfterSeconds;

  private ServingException(int status, String message, int retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ServingException notFound(String message) {
    return new ServingException(404, message, 0);
  }

  public static ServingException invalid(String message) {
    return new ServingException(400, message, 0);
  }

  public static ServingException unavailable(String message, int retryAfterSeconds) {
    return new ServingException(503, message, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  /** Seconds for a {@code Retry-After} header; 0 when the status is not 503. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
