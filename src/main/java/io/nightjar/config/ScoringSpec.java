package io.nightjar.config;

import java.time.Duration;

/**
 * What to score ({@code input}), into which table of the Nightjar database, how long a score stays
 * valid, and how many days of score dates to keep ({@code retention}: whole days, null keeps every
 * date).
 */
public record ScoringSpec(SourceSpec input, String output, Duration ttl, Duration retention) {
  /** The number of score dates kept, or 0 when every date is kept. */
  public long retentionDays() {
    return retention == null ? 0 : retention.toDays();
  }
}
