package io.nightjar.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Family;
import io.nightjar.config.Loss;
import io.nightjar.config.Metric;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@code bayes} search with warm start reads back: every done trial on its metric. */
class TrialsTableHistoryTest {
  @TempDir static Path dir;

  private static TrialRow trial(int id, String reg, double mean, TrialStatus status) {
    CandidateSpec linear = new CandidateSpec(Family.LINEAR, null, Loss.SQUARED, null, Map.of());
    return new TrialRow(
        id,
        linear,
        Map.of("reg_param", reg),
        "linear/squared {reg_param=" + reg + "}",
        mean,
        0.0,
        List.of(mean),
        1.5,
        status,
        null,
        0,
        null);
  }

  @Test
  void historyHasEveryDoneTrialOnTheMetricButNotTheResumedAttempts() {
    TrialsTable table = TestSpark.context(dir, "history_test").trials();
    table.ensureTable();
    LocalDate night = LocalDate.parse("2024-03-01");
    TrainingAttempt first = new TrainingAttempt("m", night, "sha-a", 1L);
    TrainingAttempt second = new TrainingAttempt("m", night.plusDays(1), "sha-a", 2L);
    TrainingAttempt onMae = new TrainingAttempt("m", night.plusDays(2), "sha-b", 3L);
    TrainingAttempt resumed = new TrainingAttempt("m", night.plusDays(3), "sha-a", 4L);
    table.replace(
        first,
        "run-1",
        Metric.RMSE,
        List.of(
            trial(1, "0", 1.0, TrialStatus.DONE), trial(2, "1", Double.NaN, TrialStatus.FAILED)));
    table.replace(second, "run-2", Metric.RMSE, List.of(trial(1, "0.5", 0.8, TrialStatus.DONE)));
    table.replace(onMae, "run-3", Metric.MAE, List.of(trial(1, "0.1", 0.3, TrialStatus.DONE)));
    table.replace(resumed, "run-4", Metric.RMSE, List.of(trial(1, "2", 0.9, TrialStatus.DONE)));
    table.replace(
        new TrainingAttempt("other", night, "sha-a", 1L),
        "run-5",
        Metric.RMSE,
        List.of(trial(1, "3", 0.1, TrialStatus.DONE)));

    List<HistoricTrial> history = table.history("m", Metric.RMSE, resumed);

    assertThat(history)
        .extracting(HistoricTrial::configKey)
        .containsExactly("linear/squared {reg_param=0}", "linear/squared {reg_param=0.5}");
    assertThat(history.get(0).logicalDate()).isEqualTo(night);
    assertThat(history.get(0).params()).isEqualTo(Map.of("reg_param", "0"));
    assertThat(history.get(1).mean()).isEqualTo(0.8);
    assertThat(history.get(1).seconds()).isEqualTo(1.5);
  }
}
