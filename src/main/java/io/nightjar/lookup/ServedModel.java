package io.nightjar.lookup;

import static java.util.Objects.requireNonNull;

import io.nightjar.config.TableName;
import io.nightjar.config.Task;

/**
 * A model the lookup serves: its prediction table (name and location), the id column and the task
 * (classification tables have a probability).
 */
public record ServedModel(
    String name, Task task, String idColumn, TableName table, String location) {
  public ServedModel {
    requireNonNull(name, "name is null");
    requireNonNull(task, "task is null");
    requireNonNull(idColumn, "idColumn is null");
    requireNonNull(table, "table is null");
    requireNonNull(location, "location is null");
  }
}
