package io.nightjar;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;

/** Small model specs for tests, as YAML text built in the test. */
public final class TestSpecs {
  private TestSpecs() {}

  /**
   * A linear regression spec on {@code database.table} with id, label x1..x20 + segment features.
   */
  public static String regressionYaml(
      String name, String trainTable, String scoreTable, String output) {
    return demoRegressionYaml(name, trainTable)
        + """
        candidates:
          - family: linear
            loss: squared
            grid: {reg_param: [0.0, 0.1]}
        tuning: {folds: 2, metric: rmse, holdout: 0.2, seed: 7}
        scoring:
          input: {table: %s}
          output: %s
          ttl: 3d
        """
            .formatted(scoreTable, output);
  }

  /**
   * {@link #regressionYaml} of {@code database.sales} scoring {@code database.entities} into {@code
   * output}, with one grid point (one cheap trial), and {@code monitoring} with late labels from
   * {@code database.labels} plus {@code monitoringExtra} (", key: value" pairs, or empty).
   */
  public static String oneTrialRegressionYaml(
      String name, String database, String output, String monitoringExtra) {
    return regressionYaml(name, database + ".sales", database + ".entities", output)
            .replace("reg_param: [0.0, 0.1]", "reg_param: [0.1]")
        + "monitoring: {labels: {table: "
        + database
        + ".labels}"
        + monitoringExtra
        + "}\n";
  }

  /**
   * The start of a regression spec on a table of {@code DemoData}'s columns (id, label, x1..x20,
   * segment, event_time): its name, owner and data section; the test adds candidates and the rest.
   */
  public static String demoRegressionYaml(String name, String trainTable) {
    return """
        name: %s
        task: regression
        owner: test-team
        data:
          training: {table: %s}
          id: id
          label: label
          categorical: [segment]
          time: event_time
        """
        .formatted(name, trainTable);
  }

  /**
   * A spec with one candidate ({@code candidate}, YAML) and nothing else: the frame's columns are
   * the test's own (id, label y), and tuning keeps its defaults.
   */
  public static ModelSpec oneCandidate(String name, String task, String candidate) {
    return parse(
        """
        name: %s
        task: %s
        data: {training: {table: t}, id: id, label: y}
        candidates: [%s]
        """
            .formatted(name, task, candidate),
        "nightjar");
  }

  /**
   * A spec with one candidate ({@code candidate}, YAML) on {@code DemoData}'s columns (id, label,
   * categorical segment, time event_time), tuned on {@code metric} in two folds with a quarter held
   * out.
   */
  public static ModelSpec oneCandidateOnDemoData(
      String name, String task, String candidate, String metric, long seed) {
    return parse(
        """
        name: %s
        task: %s
        data: {training: {table: t}, id: id, label: label, categorical: [segment], time: event_time}
        candidates:
          - %s
        tuning: {folds: 2, metric: %s, holdout: 0.25, seed: %d}
        """
            .formatted(name, task, candidate, metric, seed),
        "nightjar");
  }

  public static ModelSpec parse(String yaml, String database) {
    return SpecLoader.parse(yaml, "test spec", database);
  }
}
