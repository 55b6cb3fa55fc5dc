package io.nightjar.cli;

/** How {@code sql} and {@code models} print rows. */
public enum OutputFormat {
  TABLE,
  CSV,
  JSON
}
