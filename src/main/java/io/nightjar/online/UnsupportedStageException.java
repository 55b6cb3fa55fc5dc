package io.nightjar.online;

/**
 * A fitted pipeline holds a stage that the row scorer cannot compile. Thrown when a model is loaded
 * for online scoring, never in a request; the message names the stage's class and uid.
 */
public final class UnsupportedStageException extends IllegalStateException {
  public UnsupportedStageException(String message) {
    super(message);
  }
}
