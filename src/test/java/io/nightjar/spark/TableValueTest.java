package io.nightjar.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.monitoring.RunStatus;
import io.nightjar.registry.EventKind;
import io.nightjar.registry.TrialStatus;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableValueTest {
  @Test
  void statusesAndEventsKeepTheSpellingsTheirTablesHold() {
    assertThat(spellings(TrialStatus.values())).containsExactly("done", "pruned", "failed");
    assertThat(spellings(RunStatus.values()))
        .containsExactly("running", "succeeded", "failed", "timed_out", "degraded");
    assertThat(spellings(EventKind.values()))
        .containsExactly("registered", "promoted", "rejected", "rolled_back");
  }

  @Test
  void aSpellingReadsBackAsItsConstant() {
    for (TrialStatus status : TrialStatus.values()) {
      assertThat(TrialStatus.fromSql(status.sqlName())).isSameAs(status);
    }
    for (RunStatus status : RunStatus.values()) {
      assertThat(RunStatus.fromSql(status.sqlName())).isSameAs(status);
    }
    for (EventKind kind : EventKind.values()) {
      assertThat(EventKind.fromSql(kind.sqlName())).isSameAs(kind);
    }
  }

  @Test
  void aSpellingNoConstantHasIsRefusedNamingTheColumnAndTheValidOnes() {
    assertThatThrownBy(() -> RunStatus.fromSql("crashed"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Invalid value in column 'runs.status': 'crashed'. Valid values: running, succeeded, failed, timed_out, degraded.");
    assertThatThrownBy(() -> EventKind.fromSql("ROLLED_BACK"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'model_events.event'");
    assertThatThrownBy(() -> TrialStatus.fromSql(null))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'tuning_trials.status': 'null'");
  }

  private static List<String> spellings(TableValue[] constants) {
    return Arrays.stream(constants).map(TableValue::sqlName).toList();
  }
}
