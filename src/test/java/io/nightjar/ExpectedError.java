package io.nightjar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An error message as the tests' tables of refused inputs write it: the whole message, or only its
 * start when it ends in "…" (the rest names values that vary, or is checked elsewhere).
 */
public final class ExpectedError {
  private ExpectedError() {}

  public static void assertMatches(String actual, String expected) {
    if (expected.endsWith("…")) {
      assertThat(actual).startsWith(expected.substring(0, expected.length() - 1));
    } else {
      assertThat(actual).isEqualTo(expected);
    }
  }
}
