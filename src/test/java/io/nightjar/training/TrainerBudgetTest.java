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
              - {family: linear, loss: squared, grid: {reg_param: {min: 0.0, max: 1.0}, elastic_net: {min: 0.0, max: 1.0}}}
            tuning: {folds: 2, metric: rmse, search: bayes, max_trials: 200, budget: 10s, seed: 3}
            """,
            "nightjar");
    var rows = DemoData.regression(TestSpark.session(), 0, 800, 8, LocalDate.of(2024, 5, 1));
    TrainingFrame frame = TrainingFrame.prepare(spec, rows);
    // A first, untimed train pays the session's one-off costs (code generation, JIT), which no
    // prediction from this run's evaluations can foresee.
    ModelSpec warmUp =
        TestSpecs.parse(
            spec.yaml().replace("max_trials: 200, budget: 10s", "max_trials: 2"), "nightjar");
    new Trainer(warmUp).train(frame, List.of(), TuningListener.NONE);
    long started = System.nanoTime();
    TrainingResult result = new Trainer(spec).train(frame, List.of(), TuningListener.NONE);
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(result.budgetExhausted()).isTrue();
    assertThat(result.trials()).isNotEmpty().hasSizeLessThan(200);
    // Search and refit end within the budget, give or take what predictions cannot know: one
    // evaluation and the refit, each slower than predicted (on a machine shared with other jobs an
    // evaluation of the same size varies several-fold). The holdout evaluation after the refit is
    // not covered by the budget. The first evaluation always runs, so the budget is set well above
    // one.
    double longest = result.trials().stream().mapToDouble(Trial::seconds).max().orElseThrow();
    double margin = longest + result.fitSeconds();
    assertThat(result.tuningSeconds() + result.fitSeconds()).isLessThan(10 + margin);
    assertThat(seconds).isLessThan(10 + margin + result.evaluateSeconds());
    // The search itself stops within one mispredicted evaluation of the budget.
    assertThat(result.tuningSeconds()).isLessThan(10 + longest);
  }
}
