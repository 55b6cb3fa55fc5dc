package io.nightjar.config;

import java.time.Duration;

/** What to score ({@code input}), into which table of the Nightjar database, and how long a score stays valid. */
public record ScoringSpec(SourceSpec input, String output, Duration ttl) {}
