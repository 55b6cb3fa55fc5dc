package io.nightjar.registry;

import java.sql.Date;
import java.sql.Timestamp;

/**
 * Where a {@link ModelVersion} comes from: the run that trained it ({@code run_id}), when it was
 * registered, the logical date it was trained for and who trained it. {@code logicalDate} and
 * {@code author} may be null.
 */
public record Provenance(String runId, Timestamp createdAt, Date logicalDate, String author) {}
