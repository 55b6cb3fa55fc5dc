package io.nightjar.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Every tuning switch: its default when unset, and its value when set explicitly. */
class TuningOptionsTest {
  private static TuningOptions read(Map<String, String> system, Map<String, String> spark) {
    Properties properties = new Properties();
    properties.putAll(system);
    return TuningOptions.read(properties, spark::getOrDefault);
  }

  @Test
  void everySwitchHasItsDefaultWhenUnset() {
    TuningOptions options = read(Map.of(), Map.of());

    assertThat(options)
        .isEqualTo(new TuningOptions(null, true, "256m", true))
        .isEqualTo(TuningOptions.DEFAULTS);
    assertThat(options.inMemoryLimitBytes()).isEqualTo(256L << 20);
  }

  @Test
  void everySwitchSetExplicitlyIsRead() {
    TuningOptions options =
        read(
            Map.of(
                "nightjar.tuning.concurrentFits",
                "3",
                "nightjar.tuning.regularisationPath",
                "false"),
            Map.of(
                "spark.nightjar.tuning.inMemoryLimit",
                "80k",
                "spark.nightjar.tuning.earlyStopping",
                " false "));

    assertThat(options).isEqualTo(new TuningOptions(3, false, "80k", false));
    assertThat(options.inMemoryLimitBytes()).isEqualTo(80L << 10);
  }

  @Test
  void theKeysAreTheOnesUsersSet() {
    assertThat(TuningOptions.CONCURRENT_FITS).isEqualTo("nightjar.tuning.concurrentFits");
    assertThat(TuningOptions.REGULARISATION_PATH).isEqualTo("nightjar.tuning.regularisationPath");
    assertThat(TuningOptions.IN_MEMORY_LIMIT).isEqualTo("spark.nightjar.tuning.inMemoryLimit");
    assertThat(TuningOptions.EARLY_STOPPING).isEqualTo("spark.nightjar.tuning.earlyStopping");
  }

  @Test
  void anUnparsableFoldCountCountsAsUnsetAndABadLimitFailsOnlyWhenUsed() {
    TuningOptions options =
        read(
            Map.of("nightjar.tuning.concurrentFits", "two"),
            Map.of("spark.nightjar.tuning.inMemoryLimit", "lots"));

    assertThat(options.concurrentFits()).isNull();
    assertThatThrownBy(options::inMemoryLimitBytes).isInstanceOf(NumberFormatException.class);
  }
}
