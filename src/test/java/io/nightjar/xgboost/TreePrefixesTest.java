package io.nightjar.xgboost;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Metric;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.Metrics;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.Predictions;
import io.nightjar.model.TreePrefixes;
import io.nightjar.model.TuningOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.scala.spark.XGBoostModel;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scoring with the first k trees of a long fit must give what a fit with k trees gives, metric for
 * metric.
 */
class TreePrefixesTest {
  static Dataset<Row> train;
  static Dataset<Row> validation;

  @BeforeAll
  static void data() {
    Dataset<Row> rows =
        TestSpark.session()
            .range(0, 800, 1, 2)
            .withColumn("a", rand(1))
            .withColumn("b", rand(2))
            .withColumn("c", rand(3))
            .withColumn(
                "y",
                sin(col("a").multiply(6)).plus(col("b").multiply(2)).plus(randn(4).multiply(0.2)))
            .withColumn(Columns.LABEL, col("y"));
    rows =
        new VectorAssembler()
            .setInputCols(new String[] {"a", "b", "c"})
            .setOutputCol(Columns.FEATURES)
            .transform(rows)
            .select("id", Columns.FEATURES, Columns.LABEL, "y");
    train = rows.where(col("id").mod(10).lt(7)).cache();
    validation = rows.where(col("id").mod(10).geq(7)).cache();
  }

  @AfterAll
  static void release() {
    train.unpersist();
    validation.unpersist();
  }

  private static CandidateSpec candidate(String task, String candidate) {
    return TestSpecs.oneCandidate("prefix_test", task, candidate).candidates().get(0);
  }

  private static Transformer fit(
      Task task, CandidateSpec candidate, Map<GridKey, Double> params, Dataset<Row> rows) {
    ModelFamily family = ModelFamilies.of(candidate);
    return (Transformer)
        ((Estimator<?>) family.estimator(task, candidate, params, false)).fit(rows);
  }

  /**
   * Fits once with 8 trees and scores its prefixes of 3 and 8 trees: the 3-tree prefix against a
   * fresh 3-tree fit, the 8-tree one against the model's own transform. Every metric of the task
   * must agree.
   */
  private static void assertPrefixesMatchShorterFits(
      Task task,
      CandidateSpec candidate,
      Dataset<Row> rows,
      Dataset<Row> held,
      Map<GridKey, Double> others) {
    assertThat(
            ModelFamilies.of(candidate).foldFitting().sharedKey(candidate, TuningOptions.DEFAULTS))
        .isEqualTo(GridKey.NUM_TREES);
    List<Metric> metrics = Metrics.standard(task, null);
    Transformer model = fit(task, candidate, withTrees(others, 8), rows);
    Map<Integer, Transformer> references =
        Map.of(3, fit(task, candidate, withTrees(others, 3), rows), 8, model);
    try (TreePrefixes prefixes =
        model instanceof XGBoostModel<?> xgboost
            ? XGBoostTreePrefixes.score(xgboost, task, held, List.of(3, 8))
            : TreePrefixes.score(model, task, held, List.of(3, 8))) {
      for (int trees : List.of(3, 8)) {
        Map<Metric, Double> expected =
            Metrics.compute(
                Predictions.predict(references.get(trees), task, held), metrics, false, null);
        Map<Metric, Double> prefix =
            Metrics.compute(prefixes.withTrees(trees), metrics, false, null);
        for (Metric metric : metrics) {
          assertThat(prefix.get(metric))
              .as("%s with %d trees", metric, trees)
              .isCloseTo(expected.get(metric), within(1e-9));
        }
      }
      // Guards against prefixes that ignore k: fewer trees fit worse on this data.
      Metric first = metrics.get(0);
      assertThat(Metrics.compute(prefixes.withTrees(3), metrics, false, null).get(first))
          .isNotEqualTo(Metrics.compute(prefixes.withTrees(8), metrics, false, null).get(first));
    }
  }

  private static Map<GridKey, Double> withTrees(Map<GridKey, Double> params, int trees) {
    Map<GridKey, Double> out = new HashMap<>(params);
    out.put(GridKey.NUM_TREES, (double) trees);
    return out;
  }

  @Test
  void xgboostPrefixesScoreLikeFitsWithFewerTrees() {
    assertPrefixesMatchShorterFits(
        Task.REGRESSION,
        candidate("regression", "{family: gbt, loss: squared}"),
        train,
        validation,
        Map.of(GridKey.MAX_DEPTH, 3.0, GridKey.SUBSAMPLE, 0.8));
  }

  @Test
  void xgboostLogisticPrefixesGiveTheSameProbabilitiesAndClasses() {
    Dataset<Row> labelled =
        train.withColumn(Columns.LABEL, when(col("y").gt(1.0), 1.0).otherwise(0.0));
    Dataset<Row> held =
        validation.withColumn(Columns.LABEL, when(col("y").gt(1.0), 1.0).otherwise(0.0));
    assertPrefixesMatchShorterFits(
        Task.CLASSIFICATION,
        candidate("classification", "{family: gbt, loss: logistic}"),
        labelled,
        held,
        Map.of(GridKey.MAX_DEPTH, 2.0));
  }

  @Test
  void mllibPrefixesScoreLikeFitsWithFewerTreesEvenWithSubsampling() {
    assertPrefixesMatchShorterFits(
        Task.REGRESSION,
        candidate("regression", "{family: gbt, engine: mllib, loss: squared}"),
        train,
        validation,
        Map.of(GridKey.MAX_DEPTH, 3.0, GridKey.SUBSAMPLE, 0.7));
  }

  @Test
  void refusesMoreTreesThanTheModelHas() {
    Transformer model =
        fit(
            Task.REGRESSION,
            candidate("regression", "{family: gbt, engine: mllib, loss: squared}"),
            Map.of(GridKey.NUM_TREES, 2.0, GridKey.MAX_DEPTH, 2.0),
            train);
    Assertions.assertThatThrownBy(
            () -> TreePrefixes.score(model, Task.REGRESSION, validation, List.of(3)))
        .hasMessage("Cannot score with the first 3 trees of a model of 2 trees.");
  }
}
