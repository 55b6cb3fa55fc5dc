package io.nightjar.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.ScoringSpec;
import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.DataException;
import io.nightjar.data.SourceReader;
import io.nightjar.data.SourceSnapshot;
import io.nightjar.data.TrainingFrame;
import io.nightjar.model.Predictions;
import io.nightjar.monitoring.Run;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryException;
import io.nightjar.scoring.PredictionTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;

/**
 * {@code score}: scores the spec's scoring input with the production version (or a given one) into
 * the prediction table for a logical date, replacing that date's earlier rows, and refreshes the
 * {@code _current} view.
 */
public final class ScoreJob {
  /** What a score run wrote. */
  public record Outcome(
      TableName table, TableName view, int version, long rows, LocalDate date, Long inputVersion) {}

  private final JobContext context;

  public ScoreJob(JobContext context) {
    this.context = context;
  }

  public Outcome run(String model, Integer version, LocalDate date) {
    return run(new SpecResolver(context).forExisting(model), version, date);
  }

  /** Scores with {@code spec}'s scoring section (the spec a nightly run was given). */
  public Outcome run(ModelSpec spec, Integer version, LocalDate date) {
    ScoringSpec scoring = spec.requireScoring();
    context.ensureTables();
    return context.inRun(
        "score", spec.name(), date, run -> score(spec, scoring, version, date, run));
  }

  private Outcome score(
      ModelSpec spec, ScoringSpec scoring, Integer requested, LocalDate date, Run run) {
    Progress progress = new Progress(context.progress(), "score", spec.name());
    ModelVersion version = resolveVersion(spec.name(), requested);
    PipelineModel pipeline = context.artifacts().load(version);
    SourceSnapshot input =
        run.stage(
            "read",
            () -> new SourceReader(context.spark()).read("scoring.input", scoring.input()),
            null);
    long rows = run.stage("validate", () -> validate(spec.name(), version, input), n -> n);
    progress.say(
        "scoring %d rows of %s (version %s) with version %d",
        rows, input.description(), input.deltaVersion(), version.version());
    Task task = version.recipe().task();
    Instant now = Instant.now();
    Dataset<Row> features = TrainingFrame.withModelTypes(input.rows(), version.schema().features());
    Dataset<Row> scored = Predictions.predict(pipeline, task, features);
    List<Column> columns = new ArrayList<>();
    columns.add(col(version.schema().idCol()));
    columns.add(col(Columns.PREDICTION));
    if (task == Task.CLASSIFICATION) {
      columns.add(col(Columns.PROBABILITY));
    }
    columns.add(lit(version.modelName()).as(PredictionTable.MODEL_NAME));
    columns.add(lit(version.version()).as(PredictionTable.MODEL_VERSION));
    columns.add(lit(run.id()).as(PredictionTable.RUN_ID));
    columns.add(lit(Date.valueOf(date)).as(PredictionTable.SCORE_DATE));
    columns.add(lit(Timestamp.from(now)).as(PredictionTable.SCORED_AT));
    columns.add(lit(Timestamp.from(now.plus(scoring.ttl()))).as(PredictionTable.VALID_UNTIL));
    columns.add(lit(input.deltaVersion()).cast("long").as(PredictionTable.INPUT_VERSION));
    Dataset<Row> out = scored.select(columns.toArray(Column[]::new));
    TableName tableName = new TableName(context.env().database(), scoring.output());
    PredictionTable table =
        new PredictionTable(
            context.warehouse(),
            tableName,
            version.schema().idCol(),
            input.rows().schema().apply(version.schema().idCol()).dataType(),
            task);
    run.stage(
        "write",
        () -> {
          table.replaceDate(out, version.modelName(), date);
          table.createCurrentView();
          return rows;
        },
        n -> n);
    progress.say("wrote %d predictions for %s into %s", rows, date, tableName);
    if (scoring.retentionDays() > 0) {
      // Keep `retention` score dates up to this one: D - (days - 1) is the first date kept.
      LocalDate firstKept = date.minusDays(scoring.retentionDays() - 1);
      long deleted =
          run.stage(
              "retain", () -> table.deleteSupersededBefore(version.modelName(), firstKept), n -> n);
      progress.say("deleted %d superseded predictions scored before %s", deleted, firstKept);
    }
    // Lay the date out for lookups by id unless its files already hold (nearly) disjoint id ranges:
    // an input clustered by id gives one file per input split, plus a file where Spark packs the
    // tails of several input files together.
    int filesPerId = table.filesPerId(date);
    if (filesPerId > PredictionTable.FILES_PER_LOOKUP) {
      progress.say(
          "one id can be in %d files of %s: optimizing them (Z-order by %s)",
          filesPerId, date, version.schema().idCol());
      run.stage(
          "optimize",
          () -> {
            table.optimizeDate(date);
            return null;
          },
          null);
    } else {
      progress.say("one id is in at most %d files of %s: no optimize needed", filesPerId, date);
    }
    return new Outcome(
        tableName, table.currentView(), version.version(), rows, date, input.deltaVersion());
  }

  private ModelVersion resolveVersion(String model, Integer requested) {
    var registry = context.registry();
    if (requested != null) {
      return registry.require(model, requested);
    }
    int production =
        registry
            .alias(model, ModelAliasesTable.PRODUCTION)
            .orElseThrow(
                () ->
                    new RegistryException(
                        String.format(
                            "Cannot score model '%s': it has no production version; train it first or pass --version.",
                            model)));
    return registry.require(model, production);
  }

  /** Checks the scoring input against the version's training columns; returns its row count. */
  private static long validate(String model, ModelVersion version, SourceSnapshot input) {
    String context = "Cannot score model '" + model + "'";
    Dataset<Row> rows = input.rows();
    // First: a file source with no rows has no values to infer types from (a CSV header alone reads
    // as strings).
    DataException.check(
        !rows.isEmpty(), "%s: scoring.input (%s) has no rows.", context, input.description());
    List<String> columns = Arrays.asList(rows.columns());
    List<String> needed = new ArrayList<>();
    needed.add(version.schema().idCol());
    needed.addAll(version.schema().features());
    for (String column : needed) {
      DataException.check(
          columns.contains(column),
          "%s: column '%s' is not in the scoring input; version %d needs %s.",
          context,
          column,
          version.version(),
          String.join(", ", needed));
    }
    for (String feature : version.schema().features()) {
      var type = rows.schema().apply(feature).dataType();
      DataException.check(
          version.schema().categorical().contains(feature)
              || type instanceof NumericType
              || type instanceof BooleanType,
          "%s: feature column '%s' has type %s in the scoring input but was numeric in training.",
          context,
          feature,
          type.simpleString());
    }
    String id = version.schema().idCol();
    // Rows per id in one aggregation by id, then totals: cheaper than count(DISTINCT id) next to
    // other aggregates, which Spark plans with an Expand that doubles every row before the shuffle.
    Row stats =
        rows.groupBy(col(id))
            .agg(count(lit(1)).as("n"))
            .agg(
                sum(col("n")).as("rows"),
                sum(when(col(id).isNull(), 0L).otherwise(1L)).as("ids"),
                sum(when(col(id).isNull(), col("n")).otherwise(0L)).as("null_ids"))
            .first();
    long total = stats.isNullAt(0) ? 0 : stats.getLong(0);
    long nulls = stats.isNullAt(2) ? 0 : stats.getLong(2);
    long distinct = stats.isNullAt(1) ? 0 : stats.getLong(1);
    DataException.check(nulls == 0, "%s: id column '%s' has %d null values.", context, id, nulls);
    DataException.check(
        distinct + nulls == total,
        "%s: id column '%s' has %d duplicate ids in the scoring input; each entity must appear once.",
        context,
        id,
        total - distinct);
    return total;
  }
}
