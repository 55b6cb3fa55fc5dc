package io.nightjar;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.registry.EventKind;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;

/** What must hold of the registry after any mix of runs, crashes and races. */
public final class RegistryAssertions {
  private RegistryAssertions() {}

  /** No version of the model was registered twice. */
  public static void assertEachVersionRegisteredOnce(ModelHistory history) {
    assertThat(
            history.events().stream()
                .filter(e -> EventKind.REGISTERED.equals(e.event()))
                .map(ModelEvent::version)
                .toList())
        .doesNotHaveDuplicates();
  }
}
