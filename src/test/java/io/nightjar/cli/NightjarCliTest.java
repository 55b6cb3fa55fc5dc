package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.cli.ChildCli.Result;
import io.nightjar.data.DemoData;
import io.nightjar.jobs.JobContext;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as a user runs it: arguments in, text and exit code out (README, "Exit codes and
 * errors").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightjarCliTest {
  private static final String DB = "cli_test";
  private static final long ENTITIES = 30;

  @TempDir static Path dir;
  static Path conf;
  static Path models;

  @BeforeAll
  static void setUp() throws Exception {
    models = Files.createDirectories(dir.resolve("models"));
    conf = CliWarehouse.writeConfig(dir, DB, models);
    JobContext context = TestSpark.contextWithDatabase(dir, DB);
    CliWarehouse.writeTable(
        context,
        DB,
        "sales",
        DemoData.regression(context.spark(), 0, 400, 3, LocalDate.of(2024, 1, 1)));
    CliWarehouse.writeTable(
        context, DB, "entities", DemoData.entities(context.spark(), 0, ENTITIES, 4));
    Files.writeString(
        models.resolve("cli_model.yaml"),
        TestSpecs.regressionYaml(
            "cli_model", DB + ".sales", DB + ".entities", "predictions_cli_model"));
  }

  static Result run(String... args) {
    return ChildCli.runHere(conf, args);
  }

  private static Path spec(String name, String yaml) throws Exception {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  @Order(1)
  void usageErrorsExitWithTwo() {
    assertThat(run("--help").code()).isZero();
    Result unknown = run("fly");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unmatched argument at index 2: 'fly'");
    Result noModel = run("train");
    assertThat(noModel.code()).isEqualTo(2);
    assertThat(noModel.err())
        .isEqualTo(
            "Error: Invalid options for train: give either --model SPEC, or --reproduce NAME with --version N.\n");
    Result noVersion = run("train", "--reproduce", "cli_model");
    assertThat(noVersion.code()).isEqualTo(2);
    assertThat(noVersion.err()).contains("Missing option --version for train --reproduce");
    Result badDate = run("train", "--model", "cli_model", "--date", "2024-13-01");
    assertThat(badDate.code()).isEqualTo(2);
    assertThat(badDate.err())
        .isEqualTo(
            "Error: Invalid --date '2024-13-01': use a logical date YYYY-MM-DD, e.g. 2024-06-30.\n");
    Result format = run("sql", "SELECT 1", "--format", "xml");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err())
        .contains("Invalid value for '--format': 'xml'. Valid values: table, csv, json.");
  }

  @Test
  @Order(2)
  void badSpecsExitWithTwoAndNameTheKey() throws Exception {
    Path typo =
        spec(
            "typo",
            TestSpecs.regressionYaml("typo", DB + ".sales", DB + ".entities", "p")
                .replace("label: label", "lable: label"));
    Result result = run("train", "--model", typo.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("Error: Unknown key 'data.lable'.");
    assertThat(result.err()).doesNotContain("\tat ");
    Result missing = run("train", "--model", "no_such_model");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Invalid --model 'no_such_model': no spec file");
    Path quantile =
        spec(
            "quantile",
            TestSpecs.regressionYaml("quantile", DB + ".sales", DB + ".entities", "p")
                .replace(
                    "family: linear\n    loss: squared",
                    "family: gbt\n    engine: mllib\n    loss: quantile\n" + "    quantile: 0.9")
                .replace("grid: {reg_param: [0.0, 0.1]}", "grid: {max_depth: [3]}"));
    Result unsupported = run("train", "--model", quantile.toString());
    assertThat(unsupported.code()).isEqualTo(2);
    assertThat(unsupported.err())
        .isEqualTo(
            "Error: Invalid value for 'candidates[0].loss': family gbt with engine mllib supports squared,"
                + " absolute and logistic, not 'quantile'; use engine xgboost, which supports quantile.\n");
  }

  @Test
  @Order(3)
  void rejectedDataExitsWithThreeAndWritesNoVersion() throws Exception {
    Path wrongLabel =
        spec(
            "wrong_label",
            TestSpecs.regressionYaml("wrong_label", DB + ".sales", DB + ".entities", "p")
                .replace("label: label", "label: price"));
    Result result = run("train", "--model", wrongLabel.toString());
    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .startsWith(
            "Error: Cannot train model 'wrong_label': column 'price' (data.label) is not"
                + " in the data; its columns are: id, x1,");
    Result models =
        run(
            "sql",
            "SELECT count(*) FROM " + DB + ".model_versions WHERE model_name = 'wrong_label'",
            "--format",
            "csv");
    assertThat(models.out()).isEqualTo("count(1)\n0\n");
    Result runs =
        run(
            "sql",
            "SELECT status, error FROM " + DB + ".runs WHERE model_name = 'wrong_label'",
            "--format",
            "csv");
    assertThat(runs.out())
        .startsWith("status,error\nfailed,\"Cannot train model 'wrong_label': column 'price'");

    Path header = Files.createDirectories(dir.resolve("header_only"));
    Files.writeString(header.resolve("sales.csv"), "id,x1,label\n");
    Path emptyCsv =
        spec(
            "empty_csv",
            TestSpecs.regressionYaml("empty_csv", DB + ".sales", DB + ".entities", "p")
                .replace("{table: " + DB + ".sales}", "{path: '" + header + "', format: csv}"));
    Result empty = run("train", "--model", emptyCsv.toString());
    assertThat(empty.code()).isEqualTo(3);
    assertThat(empty.err())
        .isEqualTo(
            "Error: Cannot train model 'empty_csv': data.training (csv:"
                + header
                + ") has no"
                + " rows.\n");
  }

  @Test
  @Order(4)
  void unknownModelsAndVersionsExitWithTwo() {
    Result score = run("score", "--model", "ghost");
    assertThat(score.code()).isEqualTo(2);
    assertThat(score.err())
        .isEqualTo("Error: Unknown model 'ghost': it has no registered versions.\n");
    Result sql = run("sql", "SELECT * FROM nowhere.nothing");
    assertThat(sql.code()).isEqualTo(2);
    assertThat(sql.err()).startsWith("Error: Invalid query: [TABLE_OR_VIEW_NOT_FOUND]");
  }

  @Test
  @Order(5)
  void trainScoreModelsAndSqlFromTheCommandLine() {
    Result train = run("train", "--model", "cli_model", "--date", "2024-01-02");
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(train.out()).startsWith("cli_model version 1 registered (linear/squared, cv rmse ");
    assertThat(train.out()).contains("promoted to production: it is the model's first version");
    assertThat(train.err()).contains("[train cli_model] 1/2 trial linear/squared").contains("ETA");

    Result score = run("score", "--model", "cli_model", "--date", "2024-01-02");
    assertThat(score.code()).as(score.err()).isZero();
    assertThat(score.out())
        .startsWith(
            "scored 30 rows with version 1 for 2024-01-02 into " + DB + ".predictions_cli_model");

    Result list = run("models");
    assertThat(list.out()).contains("cli_model").contains("| 1          | 1");
    Result badVersion = run("models", "cli_model", "--version", "9");
    assertThat(badVersion.code()).isEqualTo(2);
    assertThat(badVersion.err())
        .isEqualTo("Error: Unknown version 9 of model 'cli_model': its versions are 1 to 1.\n");
    Result one = run("models", "cli_model", "--version", "1", "--format", "json");
    assertThat(one.code()).isZero();
    for (String column :
        List.of(
            "model_name",
            "version",
            "run_id",
            "created_at",
            "author",
            "task",
            "family",
            "engine",
            "loss",
            "params",
            "features",
            "label",
            "weight_col",
            "training_source",
            "training_data_version",
            "training_rows",
            "holdout_rows",
            "cv_metric",
            "cv_mean",
            "cv_std",
            "holdout_metrics",
            "tuning_seconds",
            "train_seconds",
            "artifact_uri",
            "packages",
            "spec_yaml",
            "spec_sha256")) {
      assertThat(one.out()).contains("\"" + column + "\"");
    }

    Result count =
        run(
            "sql",
            "SELECT count(*) AS n FROM " + DB + ".predictions_cli_model_current",
            "--format",
            "json");
    assertThat(count.out().replaceAll("\\s", "")).isEqualTo("[{\"n\":30}]");

    Path trainingReport = dir.resolve("reports/cli_model/v1/training.html");
    assertThat(train.err()).contains("training report: " + trainingReport);
    Result report = run("report", "--model", "cli_model");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.out().lines())
        .containsExactly(
            trainingReport.toString(),
            dir.resolve("reports/cli_model/v1/monitoring.html").toString());
    assertThat(run("report", "--model", "cli_model", "--version", "7").code()).isEqualTo(2);
  }

  @Test
  @Order(6)
  void aNewProcessSeesTheTablesByName() throws Exception {
    List<String> command =
        ChildCli.command(
            conf,
            ChildCli.testLogging(),
            "sql",
            "--format",
            "csv",
            "SELECT count(*) AS entities FROM " + DB + ".predictions_cli_model_current");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.redirectError(new File(dir.toFile(), "child.err")).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("child.err"))).isZero();
    assertThat(out).isEqualTo("entities\n" + ENTITIES + "\n");
  }

  @Test
  @Order(7)
  void promoteRollbackReproduceAndTheStoryInModelEvents() throws Exception {
    Path ridge =
        spec(
            "cli_model_ridge",
            TestSpecs.regressionYaml(
                    "cli_model", DB + ".sales", DB + ".entities", "predictions_cli_model")
                .replace("reg_param: [0.0, 0.1]", "reg_param: [50.0]"));
    Result second = run("train", "--model", ridge.toString(), "--date", "2024-01-03");
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).startsWith("cli_model version 2 registered");

    Result gate = run("promote", "--model", "cli_model");
    assertThat(gate.code()).as(gate.err()).isZero();
    assertThat(gate.out())
        .startsWith(
            "cli_model version 2 rejected; production stays version 1: lost the gate: rmse");
    Result forced =
        run("promote", "--model", "cli_model", "--version", "2", "--reason", "try the ridge");
    assertThat(forced.out())
        .isEqualTo("cli_model version 2 promoted to production (was version 1): try the ridge\n");
    Result back = run("rollback", "--model", "cli_model", "--reason", "ridge underfits");
    assertThat(back.out())
        .isEqualTo("cli_model rolled back: production is version 1 again (was version 2)\n");
    Result nothingBefore = run("rollback", "--model", "cli_model");
    assertThat(nothingBefore.code()).isEqualTo(2);
    assertThat(nothingBefore.err())
        .startsWith("Error: Cannot roll back model 'cli_model': version 1 is the first");

    Result story =
        run(
            "sql",
            "SELECT event, version, previous_version FROM "
                + DB
                + ".model_events"
                + " WHERE model_name = 'cli_model' ORDER BY seq, at",
            "--format",
            "csv");
    assertThat(story.out().lines().toList())
        .containsExactly(
            "event,version,previous_version",
            "registered,1,",
            "promoted,1,",
            "registered,2,",
            "rejected,2,1",
            "promoted,2,1",
            "rolled_back,1,2");
    Result history = run("models", "cli_model", "--history", "--format", "json");
    assertThat(history.out())
        .contains("\"event\" : \"rolled_back\"")
        .contains("\"reason\" : \"ridge underfits\"");
    Result table = run("models", "cli_model");
    assertThat(table.out()).contains("history:").contains("| rejected ");

    Result reproduce = run("train", "--reproduce", "cli_model", "--version", "1");
    assertThat(reproduce.code()).as(reproduce.err()).isZero();
    assertThat(reproduce.out())
        .startsWith("cli_model version 1 reproduced from " + DB + ".sales at version 0");
    assertThat(reproduce.out()).containsPattern("rmse +\\| [0-9.]+ +\\| [0-9.]+ +\\| 0\\.0\\n");
  }
}
