package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.config.ConfigException;
import io.nightjar.lookup.ServerOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code serve}'s options: defaults, sizes, and messages that name the option and what is valid.
 */
class ServeCommandTest {
  private static ServeCommand parse(String... args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsListenOnLoopbackWithOneMiBBodiesAndBatchesOfAHundred() {
    assertThat(parse().options())
        .isEqualTo(new ServerOptions("127.0.0.1", 8080, 8, 2, 1 << 20, 100));
  }

  @Test
  void explicitValuesAreMapped() {
    assertThat(
            parse(
                    "--port",
                    "9000",
                    "--bind",
                    "0.0.0.0",
                    "--threads",
                    "3",
                    "--io-threads",
                    "4",
                    "--max-body",
                    "512KiB",
                    "--max-batch",
                    "20")
                .options())
        .isEqualTo(new ServerOptions("0.0.0.0", 9000, 3, 4, 512 << 10, 20));
    assertThat(ServingOptions.bytes("--max-body", "2048")).isEqualTo(2048);
    assertThat(ServingOptions.bytes("--max-body", "2 MiB")).isEqualTo(2 << 20);
  }

  @Test
  void invalidValuesNameTheOptionAndWhatIsValid() {
    assertThatThrownBy(() -> parse("--io-threads", "0").options())
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid --io-threads '0': use 1 to 64.");
    assertThatThrownBy(() -> parse("--max-batch", "0").options())
        .hasMessage("Invalid --max-batch '0': use 1 to 10000 rows.");
    assertThatThrownBy(() -> parse("--threads", "1000").options())
        .hasMessage("Invalid --threads '1000': use 1 to 256.");
    assertThatThrownBy(() -> parse("--poll", "0").options())
        .hasMessage("Invalid --poll '0': use at least 1 second.");
    for (String size : new String[] {"1GiB", "12", "lots", "100MiB"}) {
      assertThatThrownBy(() -> parse("--max-body", size).options())
          .hasMessage(
              "Invalid --max-body '"
                  + size
                  + "': use a size from 1KiB to 64MiB, in bytes or with KiB or MiB (e.g. 1048576,"
                  + " 512KiB, 1MiB).");
    }
  }
}
