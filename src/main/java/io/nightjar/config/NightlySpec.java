package io.nightjar.config;

import java.time.Duration;

/**
 * How {@code nightly} runs a model: {@code trainDeadline} is the wall-clock time its {@code train}
 * step may take before it is stopped and the production version scores the date instead (null: no
 * deadline).
 */
public record NightlySpec(Duration trainDeadline) {
  public static final NightlySpec DEFAULT = new NightlySpec(null);
}
