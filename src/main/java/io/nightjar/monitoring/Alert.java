package io.nightjar.monitoring;

import static java.util.Objects.requireNonNull;

import java.sql.Timestamp;

/**
 * A condition of a model that needs a person: its {@code kind} (one of {@link AlertsTable}'s
 * kinds), since when it holds (when it began, not when it was noticed) and what it is, in one
 * sentence.
 */
public record Alert(String kind, Timestamp since, String details) {
  public Alert {
    requireNonNull(kind, "kind is null");
    requireNonNull(since, "since is null");
    requireNonNull(details, "details is null");
  }

  /** {@code kind since <since>: details}, as {@code status} prints it. */
  public String describe() {
    return kind + " since " + since + ": " + details;
  }
}
