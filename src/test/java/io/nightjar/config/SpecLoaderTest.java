package io.nightjar.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nightjar.ExpectedError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecLoaderTest {
  private static final String FULL =
      """
      name: house_prices
      task: regression
      owner: pricing-team
      data:
        training: {table: demo.house_sales}
        id: house_id
        label: price
        weight: w
        features: [sqft, bedrooms, age, city]
        categorical: [city]
        time: sale_date
      candidates:
        - family: gbt
          engine: xgboost
          loss: squared
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]}
        - family: linear
          loss: huber
          grid: {reg_param: [0.0, 0.01, 0.1], epsilon: [1.35]}
      tuning:
        folds: 4
        metric: mae
        holdout: 0.25
        search: random
        max_trials: 7
        budget: 1h30m
        warm_start: true
        seed: 9
      promotion:
        min_improvement: 0.01
      scoring:
        input: {table: houses}
        output: predictions_house_prices
        ttl: 7d
      monitoring:
        labels: {path: /data/labels, format: parquet}
        drift_psi_alert: 0.3
        slow_run_factor: 4
        labels_missing_after: 5d
      nightly:
        train_deadline: 1h15m
      """;

  private static final String MINIMAL =
      """
      name: m
      task: classification
      data: {training: {path: /tmp/x.csv, format: csv}, id: id, label: y}
      candidates: [{family: linear, loss: logistic}]
      """;

  private static ModelSpec parse(String yaml) {
    return SpecLoader.parse(yaml, "spec.yaml", "nightjar");
  }

  /** The full spec with {@code from} replaced by {@code to} (one occurrence expected). */
  private static String with(String from, String to) {
    assertThat(FULL).contains(from);
    return FULL.replace(from, to);
  }

  @Test
  void fullSpecMapsEveryKey() {
    ModelSpec spec = parse(FULL);
    assertThat(spec.name()).isEqualTo("house_prices");
    assertThat(spec.task()).isEqualTo(Task.REGRESSION);
    assertThat(spec.owner()).isEqualTo("pricing-team");
    assertThat(spec.data().training().table()).isEqualTo(new TableName("demo", "house_sales"));
    assertThat(spec.data().weight()).isEqualTo("w");
    assertThat(spec.data().features()).containsExactly("sqft", "bedrooms", "age", "city");
    assertThat(spec.data().categorical()).containsExactly("city");
    assertThat(spec.data().time()).isEqualTo("sale_date");
    CandidateSpec gbt = spec.candidates().get(0);
    assertThat(gbt.family()).isEqualTo(Family.GBT);
    assertThat(gbt.engine()).isEqualTo(Engine.XGBOOST);
    assertThat(gbt.grid().get(GridKey.NUM_TREES)).containsExactly(100.0, 300.0);
    CandidateSpec linear = spec.candidates().get(1);
    assertThat(linear.engine()).isNull();
    assertThat(linear.loss()).isEqualTo(Loss.HUBER);
    assertThat(spec.tuning())
        .isEqualTo(
            new TuningSpec(
                4, Metric.MAE, 0.25, Search.RANDOM, 7, Duration.ofMinutes(90), true, 9L));
    assertThat(spec.minImprovement()).isEqualTo(0.01);
    assertThat(spec.scoring().input().table()).isEqualTo(new TableName("nightjar", "houses"));
    assertThat(spec.scoring().ttl()).isEqualTo(Duration.ofDays(7));
    assertThat(spec.monitoring().labels().path()).isEqualTo("/data/labels");
    assertThat(spec.monitoring().labels().format()).isEqualTo("parquet");
    assertThat(spec.monitoring().driftPsiAlert()).isEqualTo(0.3);
    assertThat(spec.monitoring().slowRunFactor()).isEqualTo(4.0);
    assertThat(spec.monitoring().labelsMissingAfter()).isEqualTo(Duration.ofDays(5));
    assertThat(spec.nightly().trainDeadline()).isEqualTo(Duration.ofMinutes(75));
    assertThat(spec.yaml()).isEqualTo(FULL);
    assertThat(spec.sha256()).hasSize(64).isEqualTo(SpecLoader.sha256(FULL));
  }

  @Test
  void servingDefaultsComeFromScoring() {
    ServingSpec serving = parse(FULL).serving();
    assertThat(serving.features()).isEqualTo(parse(FULL).scoring().input());
    assertThat(serving.onMissing()).isEqualTo(ServingSpec.OnMissing.SCORE);
    assertThat(serving.onStale()).isEqualTo(ServingSpec.OnStale.SERVE);
    assertThat(serving.cacheTtl()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void servingMapsEveryKey() {
    ModelSpec spec =
        parse(
            FULL
                + """
                serving:
                  features: {path: /data/features, format: parquet}
                  on_missing: not_found
                  on_stale: score
                  cache_ttl: 6h
                """);
    assertThat(spec.serving())
        .isEqualTo(
            new ServingSpec(
                new SourceSpec(null, "/data/features", "parquet", null),
                ServingSpec.OnMissing.NOT_FOUND,
                ServingSpec.OnStale.SCORE,
                Duration.ofHours(6)));
  }

  @Test
  void servingErrorsNameTheKeyPathAndTheValidValues() {
    assertThatThrownBy(() -> parse(FULL + "serving: {on_missing: ignore}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'serving.on_missing': 'ignore'. Valid values: score, not_found.");
    assertThatThrownBy(() -> parse(FULL + "serving: {on_stale: drop}\n"))
        .hasMessage("Invalid value for 'serving.on_stale': 'drop'. Valid values: serve, score.");
    assertThatThrownBy(() -> parse(FULL + "serving: {cache_ttl: soon}\n"))
        .hasMessageStartingWith("Invalid duration for 'serving.cache_ttl': 'soon'.");
    assertThatThrownBy(() -> parse(FULL + "serving: {ttl: 6h}\n"))
        .hasMessage(
            "Unknown key 'serving.ttl'. Valid keys here: features, on_missing, on_stale, cache_ttl.");
    assertThatThrownBy(() -> parse(FULL + "serving: {features: {table: a, path: /b}}\n"))
        .hasMessageStartingWith("Invalid source 'serving.features':");
  }

  @Test
  void anUnknownTopLevelKeyAndMissingCandidatesAreNamed() {
    assertThatThrownBy(() -> parse(FULL + "colour: blue\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Unknown key 'colour'. Valid keys here: name, task,");
    assertThatThrownBy(
            () ->
                parse("name: m\ntask: regression\ndata: {training: {table: t}, id: i, label: l}\n"))
        .hasMessageStartingWith("Missing required key 'candidates'");
  }

  /**
   * The full spec with {@code from} replaced by {@code to} is refused with {@code error} ({@link
   * ExpectedError}). In the table a backslash-n is a line break, and a value in backquotes keeps
   * its spaces.
   */
  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          # Nightly and status settings, named with their path.
          train_deadline: 1h15m | train_deadline: soon | Invalid duration for 'nightly.train_deadline': 'soon'. Use a number and a unit s, m, h or d, e.g. 30m, 7d or 1h30m.
          train_deadline: 1h15m | deadline: 1h15m | Unknown key 'nightly.deadline'. Valid keys here: train_deadline…
          slow_run_factor: 4 | slow_run_factor: 1 | Invalid value for 'monitoring.slow_run_factor': '1'. Expected a number greater than 1.
          labels_missing_after: 5d | labels_missing_after: 0d | Invalid duration for 'monitoring.labels_missing_after': '0d'. It must be longer than zero.
          # Unknown keys, named with their path.
          `  folds: 4` | `  fold: 4` | Unknown key 'tuning.fold'.…
          engine: xgboost | engin: xgboost | Unknown key 'candidates[0].engin'.…
          learning_rate: [0.1] | learnig_rate: [0.1] | Unknown grid key 'candidates[0].grid.learnig_rate'.…
          training: {table: demo.house_sales} | training: {tabel: x} | Unknown key 'data.training.tabel'.…
          # Values of the wrong type or out of range.
          folds: 4 | folds: four | Invalid value for 'tuning.folds': 'four'. Expected a whole number from 2 to 20.
          folds: 4 | folds: 1 | Invalid value for 'tuning.folds': '1'. Expected a whole number from 2 to 20.
          holdout: 0.25 | holdout: 1.5 | Invalid value for 'tuning.holdout': '1.5'. Expected a number in (0, 1).
          warm_start: true | warm_start: yes please | Invalid value for 'tuning.warm_start': 'yes please'. Expected true or false.
          num_trees: [100, 300] | num_trees: [100.5] | Invalid value for 'candidates[0].grid.num_trees[0]': '100.5'. Expected a whole number of at least 1.
          num_trees: [100, 300] | num_trees: [] | Invalid value for 'candidates[0].grid.num_trees': every grid value is a non-empty list…
          num_trees: [100, 300] | num_trees: 100 | Invalid value for 'candidates[0].grid.num_trees': every grid value is a non-empty list…
          budget: 1h30m | budget: soon | Invalid duration for 'tuning.budget': 'soon'. Use a number and a unit s, m, h or d, e.g. 30m, 7d or 1h30m.
          ttl: 7d | ttl: 0d | Invalid duration for 'scoring.ttl': '0d'. It must be longer than zero.
          ttl: 7d | ttl: 7d\\n  retention: 36h | Invalid duration for 'scoring.retention': '36h'. Score dates are kept by whole days: use e.g. 90d.
          ttl: 7d | ttl: 7d\\n  retention: forever | Invalid duration for 'scoring.retention': 'forever'.…
          # Settings that cannot go together.
          metric: mae | metric: auc | Invalid value for 'tuning.metric': metric auc fits task classification, not regression.
          metric: mae | metric: pinball | Invalid value for 'tuning.metric': metric pinball needs every candidate to use loss quantile.
          loss: huber | loss: logistic | Invalid value for 'candidates[1].loss': 'logistic' is a classification loss but the task is regression.
          - family: linear\\n    loss: huber | - family: linear\\n    engine: mllib\\n    loss: huber | Invalid key 'candidates[1].engine': 'engine' applies only to family gbt.
          learning_rate: [0.1] | elastic_net: [0.5] | Invalid grid key 'candidates[0].grid.elastic_net': family gbt with engine xgboost cannot use 'elastic_net'.
          loss: huber | loss: squared | Invalid grid key 'candidates[1].grid.epsilon': 'epsilon' applies only to loss huber.
          loss: huber\\n    grid: {reg_param: [0.0, 0.01, 0.1], epsilon: [1.35]} | loss: quantile\\n    quantile: 1.5 | Invalid value for 'candidates[1].quantile': '1.5'. Expected a number in (0, 1).
          loss: huber\\n    grid: {reg_param: [0.0, 0.01, 0.1], epsilon: [1.35]} | loss: quantile | Missing required key 'candidates[1].quantile' for loss quantile: a number in (0, 1).
          categorical: [city] | categorical: [town] | Invalid 'data.categorical': 'town' is not in 'data.features'.
          label: price | label: house_id | Invalid 'data.label': the id and label must be different columns.
          # Model, table and output names must be identifiers.
          name: house_prices | name: House-Prices | Invalid model name for 'name': 'House-Prices'. Use a lower-case letter followed by up to 62 lower-case letters, digits or underscores.
          output: predictions_house_prices | output: "x; DROP TABLE y" | Invalid name for 'scoring.output': 'x; DROP TABLE y'. Use letters, digits and underscores, starting with a letter or underscore.
          {table: demo.house_sales} | {table: a.b.c} | Invalid table name for 'data.training.table': 'a.b.c'. Use 'table' or 'database.table'.
          # Required keys that are missing.
          task: regression\\n | `` | Missing required key 'task'. Valid values: regression, classification.
          `  label: price\\n` | `` | Missing required key 'data.label'.
          # Ranges in a grid.
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {max_depth: {min: 8, max: 3}} | Invalid range 'candidates[0].grid.max_depth': min (8) must be below max (3); for a single value use a list, e.g. [8].
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {max_depth: {min: 2.5, max: 8}} | Invalid value for 'candidates[0].grid.max_depth.min': '2.5'. Expected a whole number from 1 to 30.
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {learning_rate: {min: 0.1, max: 2}} | Invalid value for 'candidates[0].grid.learning_rate.max': '2'. Expected a number in (0, 1].
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {max_depth: {min: 2}} | Missing required key 'candidates[0].grid.max_depth.max'.
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {max_depth: {min: 2, max: 5, step: 1}} | Unknown key 'candidates[0].grid.max_depth.step'.…
          grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]} | grid: {max_depth: {min: 2, max: 5, scale: cubic}} | Invalid value for 'candidates[0].grid.max_depth.scale': 'cubic'. Valid values: linear, log.
          grid: {reg_param: [0.0, 0.01, 0.1], epsilon: [1.35]} | grid: {reg_param: {min: 0, max: 1, scale: log}} | Invalid value for 'candidates[1].grid.reg_param.min': '0'. A range with scale log needs min greater than 0; use scale linear to start at 0.
          """)
  void aChangeThatBreaksTheSpecIsRefusedNamingTheKey(String from, String to, String error) {
    String yaml = with(from.replace("\\n", "\n"), to.replace("\\n", "\n"));
    Throwable thrown = catchThrowable(() -> parse(yaml));
    assertThat(thrown).isInstanceOf(ConfigException.class);
    ExpectedError.assertMatches(thrown.getMessage(), error);
  }

  @Test
  void servingWithoutScoringNeedsItsOwnFeaturesAndTtl() {
    String noScoring = MINIMAL;
    assertThat(parse(noScoring).serving()).isNull();
    assertThatThrownBy(() -> parse(noScoring + "serving: {on_missing: score}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Missing required key 'serving.features': the spec has no 'scoring' section whose input"
                + " it could default to; give a source, e.g. {table: db.features}, or add"
                + " 'scoring'.");
    assertThatThrownBy(() -> parse(noScoring + "serving: {features: {table: f}}\n"))
        .hasMessage(
            "Missing required key 'serving.cache_ttl': the spec has no 'scoring' section whose ttl"
                + " it could default to; give a duration, e.g. 6h, or add 'scoring'.");
    ServingSpec own =
        parse(noScoring + "serving: {features: {table: f}, cache_ttl: 1h}\n").serving();
    assertThat(own.features().table()).isEqualTo(new TableName("nightjar", "f"));
    assertThat(own.cacheTtl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void minimalSpecGetsDefaults() {
    ModelSpec spec =
        parse(
            """
            name: m
            task: classification
            data: {training: {path: /tmp/x.csv, format: csv}, id: id, label: y}
            candidates: [{family: linear, loss: logistic}]
            """);
    assertThat(spec.owner()).isNull();
    assertThat(spec.data().features()).isEmpty();
    assertThat(spec.tuning())
        .isEqualTo(new TuningSpec(3, Metric.LOGLOSS, 0.2, Search.GRID, 50, null, false, 42L));
    assertThat(spec.candidates().get(0).grid()).isEmpty();
    assertThat(spec.scoring()).isNull();
    assertThat(spec.data().training().describe()).isEqualTo("csv:/tmp/x.csv");
    assertThat(spec.nightly().trainDeadline()).isNull();
    assertThat(spec.monitoringOrDefaults()).isEqualTo(MonitoringSpec.DEFAULT);
    assertThat(spec.monitoringOrDefaults().slowRunFactor()).isEqualTo(3.0);
  }

  @Test
  void scoringRetentionIsWholeDaysAndKeepsEveryDateByDefault() {
    assertThat(parse(with("ttl: 7d", "ttl: 7d\n  retention: 90d")).scoring().retentionDays())
        .isEqualTo(90);
    assertThat(parse(with("ttl: 7d", "ttl: 7d")).scoring().retention()).isNull();
    assertThat(parse(with("ttl: 7d", "ttl: 7d")).scoring().retentionDays()).isZero();
  }

  @Test
  void textThatIsNotAYamlMappingIsRefused() {
    assertThatThrownBy(() -> parse("name: [unclosed\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid YAML in 'spec.yaml' at line");
    assertThatThrownBy(() -> parse(FULL + "task: classification\n"))
        .hasMessageContaining("Duplicate field 'task'");
    assertThatThrownBy(() -> parse("- just\n- a list\n"))
        .hasMessage(
            "Invalid model spec 'spec.yaml': the top level must be a mapping of keys to values.");
  }

  @Test
  void loadNamesAMissingFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> SpecLoader.load(missing, "nightjar"))
        .hasMessage("Cannot read model spec '" + missing + "': no such file.");
    Path file = dir.resolve("spec.yaml");
    Files.writeString(file, FULL);
    assertThat(SpecLoader.load(file, "nightjar").name()).isEqualTo("house_prices");
  }

  @Test
  void repositorySpecsAreValid() {
    for (String name : List.of("demo_regression", "demo_classification")) {
      ModelSpec spec = SpecLoader.load(Path.of("conf/models/" + name + ".yaml"), "nightjar");
      assertThat(spec.name()).isEqualTo(name);
    }
  }

  @Test
  void aGridKeyMayBeARangeAndWholeKeysStayWhole() {
    ModelSpec spec =
        parse(
            with(
                "grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]}",
                "grid: {max_depth: {min: 3, max: 10}, num_trees: [100, 300],"
                    + " learning_rate: {min: 0.01, max: 0.3, scale: log}}"));
    CandidateSpec gbt = spec.candidates().get(0);
    assertThat(gbt.grid()).containsOnlyKeys(GridKey.NUM_TREES);
    assertThat(gbt.ranges().get(GridKey.MAX_DEPTH))
        .isEqualTo(new GridRange(3, 10, GridRange.Scale.LINEAR, true));
    assertThat(gbt.ranges().get(GridKey.LEARNING_RATE))
        .isEqualTo(new GridRange(0.01, 0.3, GridRange.Scale.LOG, false));
    GridRange depth = gbt.ranges().get(GridKey.MAX_DEPTH);
    assertThat(depth.fromUnit(depth.unitLow())).isEqualTo(3.0);
    assertThat(depth.fromUnit(6.4)).isEqualTo(6.0);
    assertThat(depth.fromUnit(depth.unitHigh())).isEqualTo(10.0);
  }

  @Test
  void aRangeNeedsASearchThatDrawsFromIt() {
    String withRange =
        with(
            "grid: {max_depth: [4, 6], num_trees: [100, 300], learning_rate: [0.1]}",
            "grid: {max_depth: {min: 3, max: 10}}");
    assertThatThrownBy(() -> parse(withRange.replace("search: random", "search: grid")))
        .hasMessage(
            "Invalid grid value 'candidates[0].grid.max_depth': a range needs a search that draws"
                + " from it; set 'tuning.search' to random, halving or bayes, or give a list of"
                + " values.");
    assertThat(parse(withRange.replace("search: random", "search: bayes")).tuning().search())
        .isEqualTo(Search.BAYES);
    assertThat(parse(withRange.replace("search: random", "search: halving")).tuning().search())
        .isEqualTo(Search.HALVING);
  }
}
