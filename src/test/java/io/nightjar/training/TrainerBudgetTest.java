package io.nightjar.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import io.nightjar.data.DemoData;
import io.nightjar.data.TrainingFrame;
import io.nightjar.tuning.Trial;
import io.nightjar.tuning.TuningListener;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tuning.budget} covers the whole train: the search and the refit of its best. */
class TrainerBudgetTest {
  @Test
  void aTrainWithASmallBudgetEndsWithinItAndRecordsTheCut() {
    ModelSpec spec =
        TestSpecs.parse(
            """
            name: budget_test
            task: regression
            data: {training: {table: t}, id: id, label: label, categorical: [segment], time: event_time}
            candidates:
              - {family: gbt, loss: squared, grid: {num_trees: {min: 20, max: 60}, max_depth: {min: 2, max: 5}}}
            tuning: {folds: 2, metric: rmse, search: bayes, max_trials: 200, budget: 8s, seed: 3}
            """,
            "nightjar");
    var rows = DemoData.regression(TestSpark.session(), 0, 800, 8, LocalDate.of(2024, 5, 1));
    TrainingFrame frame = TrainingFrame.prepare(spec, rows);
    frame.rows().count();
    long started = System.nanoTime();
    TrainingResult result = new Trainer(spec).train(frame, List.of(), TuningListener.NONE);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(result.budgetExhausted()).isTrue();
    assertThat(result.trials()).isNotEmpty().hasSizeLessThan(200);
    // Search and refit end within the budget, give or take one evaluation's misprediction (the
    // holdout evaluation after the refit is not covered by the budget).
    double longest = result.trials().stream().mapToDouble(Trial::seconds).max().orElseThrow();
    assertThat(result.tuningSeconds() + result.fitSeconds()).isLessThan(8 + longest);
    assertThat(seconds).isLessThan(8 + longest + result.evaluateSeconds());
  }
}
