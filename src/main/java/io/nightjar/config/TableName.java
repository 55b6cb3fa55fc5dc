package io.nightjar.config;

import static java.util.Objects.requireNonNull;

/** A table named {@code database.table}, both parts checked identifiers. */
public record TableName(String database, String table) {
  public TableName {
    requireNonNull(database, "database is null");
    requireNonNull(table, "table is null");
  }

  /**
   * Parses {@code db.table}, or a bare {@code table} in {@code defaultDatabase}.
   *
   * @throws ConfigException naming {@code key} when a part is not a valid identifier
   */
  public static TableName parse(String key, String text, String defaultDatabase) {
    ConfigException.check(text != null && !text.isBlank(), "Missing table name for '%s'.", key);
    String[] parts = text.split("\\.", -1);
    ConfigException.check(
        parts.length <= 2,
        "Invalid table name for '%s': '%s'. Use 'table' or 'database.table'.",
        key,
        text);
    if (parts.length == 1) {
      return new TableName(
          Identifiers.sqlName(key, defaultDatabase), Identifiers.sqlName(key, parts[0]));
    }
    return new TableName(Identifiers.sqlName(key, parts[0]), Identifiers.sqlName(key, parts[1]));
  }

  /** The quoted SQL form, {@code `db`.`table`}. */
  public String sql() {
    return Identifiers.quote(database, table);
  }

  @Override
  public String toString() {
    return database + "." + table;
  }
}
