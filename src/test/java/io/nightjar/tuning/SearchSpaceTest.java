package io.nightjar.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpecs;
import io.nightjar.config.GridKey;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.tuning.bayes.Observation;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
  private static final ModelSpec SPEC =
      TestSpecs.parse(
          """
          name: space_test
          task: regression
          data: {training: {table: t}, id: id, label: y}
          candidates:
            - family: gbt
              loss: squared
              grid:
                learning_rate: {min: 0.01, max: 0.3, scale: log}
                max_depth: {min: 2, max: 8}
                num_trees: [50, 100]
            - family: linear
              loss: squared
              grid: {reg_param: [0.0, 0.1]}
          tuning: {search: bayes, warm_start: true, max_trials: 6}
          """,
          "nightjar");

  private static final SearchSpace SPACE = new SearchSpace(SPEC.candidates());
  private static final LocalDate TODAY = LocalDate.parse("2024-03-10");

  private static HistoricTrial past(String label, Map<String, String> params, String date) {
    return new HistoricTrial(
        LocalDate.parse(date), KFoldSearch.Point.key(label, params), params, 1.0, 2.0);
  }

  @Test
  void drawsStayWithinTheRangesAndWholeKeysStayWhole() {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      KFoldSearch.Point point = SPACE.uniform(random);
      if (point.candidateIndex() == 0) {
        assertThat(point.params().get(GridKey.LEARNING_RATE)).isBetween(0.01, 0.3);
        double depth = point.params().get(GridKey.MAX_DEPTH);
        assertThat(depth).isBetween(2.0, 8.0).isEqualTo(Math.rint(depth));
        assertThat(point.params().get(GridKey.NUM_TREES)).isIn(50.0, 100.0);
      } else {
        assertThat(point.params()).containsOnlyKeys(GridKey.REG_PARAM);
      }
    }
  }

  @Test
  void aPointMapsToItsCoordinatesAndBack() {
    KFoldSearch.Point point = SPACE.uniform(new Random(5));
    double[] x = SPACE.coordinates(point.candidateIndex(), point.params());
    assertThat(SPACE.point(x)).isEqualTo(point);
    assertThat(SPACE.recorded(point.key())).isEqualTo(point);
  }

  @Test
  void pastTrialsOutsideTodaysSpaceAreLeftOut() {
    String gbt = "gbt[xgboost]/squared";
    List<HistoricTrial> trials =
        List.of(
            past(
                gbt,
                Map.of("learning_rate", "0.1", "max_depth", "4", "num_trees", "50"),
                "2024-03-09"),
            // learning rate beyond today's range
            past(
                gbt,
                Map.of("learning_rate", "0.5", "max_depth", "4", "num_trees", "50"),
                "2024-03-09"),
            // a choice the spec no longer lists
            past(
                gbt,
                Map.of("learning_rate", "0.1", "max_depth", "4", "num_trees", "300"),
                "2024-03-09"),
            // a key today's candidate does not have
            past(
                gbt,
                Map.of(
                    "learning_rate",
                    "0.1",
                    "max_depth",
                    "4",
                    "num_trees",
                    "50",
                    "subsample",
                    "0.8"),
                "2024-03-09"),
            // a candidate the spec no longer has
            past("gbt[mllib]/squared", Map.of("max_depth", "4", "num_trees", "50"), "2024-03-09"),
            past("linear/squared", Map.of("reg_param", "0.1"), "2024-03-03"));
    SearchHistory history = SearchHistory.of(SPACE, trials, TODAY, new FitCost());
    assertThat(history.used()).hasSize(2);
    assertThat(history.dropped()).isEqualTo(4);
    assertThat(history.used().get(0).point().params().get(GridKey.LEARNING_RATE)).isEqualTo(0.1);
    assertThat(history.used().get(1).point().candidateIndex()).isEqualTo(1);
  }

  @Test
  void recentNightsWeighMoreWithAHalfLifeOfAWeek() {
    List<HistoricTrial> trials =
        List.of(
            past("linear/squared", Map.of("reg_param", "0.1"), "2024-03-03"),
            past("linear/squared", Map.of("reg_param", "0"), "2024-03-10"));
    List<Observation> observed =
        SearchHistory.of(SPACE, trials, TODAY, new FitCost()).observations(Metric.RMSE);
    assertThat(observed.get(0).weight()).isEqualTo(0.5);
    assertThat(observed.get(1).weight()).isEqualTo(1.0);
    assertThat(observed.get(0).group()).isNotEqualTo(observed.get(1).group());
  }

  @Test
  void fitTimeIsPredictedFromTreesTimesDepth() {
    FitCost cost = new FitCost();
    KFoldSearch.Point small =
        new KFoldSearch.Point(
            0,
            SPEC.candidates().get(0),
            Map.of(GridKey.NUM_TREES, 50.0, GridKey.MAX_DEPTH, 2.0, GridKey.LEARNING_RATE, 0.1));
    KFoldSearch.Point large =
        new KFoldSearch.Point(
            0,
            SPEC.candidates().get(0),
            Map.of(GridKey.NUM_TREES, 100.0, GridKey.MAX_DEPTH, 8.0, GridKey.LEARNING_RATE, 0.1));
    assertThat(cost.predict(List.of(large))).isZero();
    cost.past(100, 10.0);
    assertThat(cost.predict(List.of(large))).isEqualTo(80.0);
    // This run's own measurement takes over from the past nights'.
    cost.measured(List.of(small), 2.0);
    assertThat(cost.predict(List.of(large))).isEqualTo(16.0);
    assertThat(cost.refit(large, 3, 2)).isEqualTo(16.0);
  }
}
