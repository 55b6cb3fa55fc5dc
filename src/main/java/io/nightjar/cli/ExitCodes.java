package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.data.DataException;
import io.nightjar.registry.RegistryException;

/**
 * Exit codes (0 success, 1 failure, 2 config or usage error, 3 data rejected, 4 {@code nightly}
 * degraded; README "Exit codes and errors"), and the one place exceptions map to them.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int DATA = 3;

  /**
   * {@code nightly} scored the date with the production version because its train failed or passed
   * {@code nightly.train_deadline}: the predictions are fresh, a person should look at the train.
   * Distinct from 0 and 1 so that a scheduler neither calls it a success nor retries it (the DAG
   * maps it to Airflow's "skipped" with {@code skip_on_exit_code}).
   */
  public static final int DEGRADED = 4;

  private ExitCodes() {}

  public static int of(Throwable error) {
    Throwable cause = rootUserError(error);
    if (cause instanceof ConfigException || cause instanceof RegistryException) {
      return USAGE;
    }
    if (cause instanceof DataException) {
      return DATA;
    }
    return FAILURE;
  }

  /** The user error inside {@code error} (Spark may wrap ours), or {@code error} itself. */
  public static Throwable rootUserError(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConfigException
          || t instanceof DataException
          || t instanceof RegistryException) {
        return t;
      }
    }
    return error;
  }
}
