package io.nightjar.config;

import java.util.regex.Pattern;

/**
 * The names Nightjar accepts for models, databases, tables and columns, and how they are quoted
 * into SQL. Every name that reaches a SQL string goes through {@link #quote} after being checked
 * here, so config values are never pasted into SQL unchecked.
 */
public final class Identifiers {
  private static final Pattern MODEL_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern SQL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private Identifiers() {}

  /** Checks a model name: {@code [a-z][a-z0-9_]{0,62}}. */
  public static String modelName(String key, String name) {
    ConfigException.check(
        name != null && MODEL_NAME.matcher(name).matches(),
        "Invalid model name for '%s': '%s'. Use a lower-case letter followed by up to 62 lower-case letters, digits or"
            + " underscores.",
        key,
        name);
    return name;
  }

  /**
   * Checks a database, table or column name: letters, digits and underscores, not starting with a
   * digit.
   */
  public static String sqlName(String key, String name) {
    ConfigException.check(
        name != null && SQL_NAME.matcher(name).matches(),
        "Invalid name for '%s': '%s'. Use letters, digits and underscores, starting with a letter or underscore.",
        key,
        name);
    // Nightjar's working columns start with two underscores (data.Columns); user names must not
    // collide with them.
    ConfigException.check(
        !name.startsWith("__"),
        "Invalid name for '%s': '%s'. Names starting with '__' are reserved.",
        key,
        name);
    return name;
  }

  /** Backtick-quotes a name already checked by {@link #sqlName} or {@link #modelName}. */
  public static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  /** Quotes {@code database.table}. */
  public static String quote(String database, String table) {
    return quote(database) + "." + quote(table);
  }

  /** Quotes a string literal for SQL (single quotes doubled, backslashes escaped). */
  public static String literal(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
