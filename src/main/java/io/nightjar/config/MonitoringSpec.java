package io.nightjar.config;

/** Where late labels arrive and when feature drift raises an alert. */
public record MonitoringSpec(SourceSpec labels, double driftPsiAlert) {}
