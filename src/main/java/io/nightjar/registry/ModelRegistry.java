package io.nightjar.registry;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.nightjar.config.Identifiers;
import io.nightjar.config.TableName;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The model registry on Delta tables: versions ({@code model_versions}), where each alias points now ({@code
 * model_aliases}), and the append-only history of every move ({@code model_events}). Version numbers are consecutive
 * per model and allocated with a conditional MERGE, so concurrent registrations get distinct numbers and a lost race
 * is retried with the next number.
 */
public final class ModelRegistry {
  private static final Map<String, org.apache.spark.sql.types.StructType> SCHEMAS =
      Map.of(
          RegistryTables.MODEL_VERSIONS, RegistryTables.MODEL_VERSIONS_SCHEMA,
          RegistryTables.MODEL_ALIASES, RegistryTables.MODEL_ALIASES_SCHEMA,
          RegistryTables.MODEL_EVENTS, RegistryTables.MODEL_EVENTS_SCHEMA);

  private final SparkSession spark;
  private final Warehouse warehouse;
  private final TableName versions;
  private final TableName aliases;
  private final TableName events;

  public ModelRegistry(Warehouse warehouse, String database) {
    this.spark = warehouse.spark();
    this.warehouse = warehouse;
    this.versions = new TableName(database, RegistryTables.MODEL_VERSIONS);
    this.aliases = new TableName(database, RegistryTables.MODEL_ALIASES);
    this.events = new TableName(database, RegistryTables.MODEL_EVENTS);
  }

  /** Creates the registry tables when missing. */
  public void ensureTables() {
    warehouse.ensureTable(versions, RegistryTables.MODEL_VERSIONS_SCHEMA, List.of());
    warehouse.ensureTable(aliases, RegistryTables.MODEL_ALIASES_SCHEMA, List.of());
    warehouse.ensureTable(events, RegistryTables.MODEL_EVENTS_SCHEMA, List.of());
  }

  /**
   * Registers {@code draft} under the next free version number of its model and returns that number. Safe under
   * concurrent registrations of the same model: distinct trainings get distinct numbers, and of two runs of the same
   * training (same model, logical date, spec and training data version, e.g. a scheduler's retry started while the
   * first attempt still ran) only the first registers; the other gets the first one's number, which tells it apart
   * from its own by the run id.
   */
  public int register(ModelVersion draft) {
    String target = "delta." + Identifiers.quote(warehouse.location(versions));
    for (int attempt = 0; attempt < DeltaRetry.ATTEMPTS * 4; attempt++) {
      int next = latestVersion(draft.modelName()) + 1;
      String source = "nightjar_new_version_" + java.util.UUID.randomUUID().toString().replace("-", "");
      spark
          .createDataFrame(List.of(ModelVersionRows.toRow(draft.withVersion(next))), RegistryTables.MODEL_VERSIONS_SCHEMA)
          .createOrReplaceTempView(source);
      try {
        // Insert-if-absent: the MERGE reports whether it inserted, i.e. whether this number was still free and no
        // version of the same training exists. A concurrent registration that committed first makes it fail with a
        // conflict (it read the whole table) or insert nothing.
        Row result =
            spark
                .sql(
                    "MERGE INTO " + target + " t USING " + source + " s"
                        + " ON t.model_name = s.model_name AND (t.version = s.version"
                        + " OR (t.logical_date = s.logical_date AND t.spec_sha256 = s.spec_sha256"
                        + " AND t.training_data_version <=> s.training_data_version))"
                        + " WHEN NOT MATCHED THEN INSERT *")
                .first();
        if (result.<Long>getAs("num_inserted_rows") == 1L) {
          return next;
        }
      } catch (io.delta.exceptions.DeltaConcurrentModificationException e) {
        // another registration committed first: look again
      } finally {
        spark.catalog().dropTempView(source);
      }
      Optional<ModelVersion> twin =
          findSameTraining(draft.modelName(), draft.logicalDate(), draft.specSha256(), draft.trainingDataVersion());
      if (twin.isPresent()) {
        return twin.get().version();
      }
    }
    throw new IllegalStateException(
        "Cannot register model '" + draft.modelName() + "': too many concurrent registrations; try again.");
  }

  /** The highest version of {@code model}, 0 when it has none. */
  public int latestVersion(String model) {
    Row max = table(versions).where(col("model_name").equalTo(model)).agg(org.apache.spark.sql.functions.max("version")).first();
    return max.isNullAt(0) ? 0 : max.getInt(0);
  }

  public Optional<ModelVersion> find(String model, int version) {
    List<Row> rows =
        table(versions).where(col("model_name").equalTo(model).and(col("version").equalTo(version))).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(ModelVersionRows.fromRow(rows.get(0)));
  }

  /**
   * The version of {@code model} numbered {@code version}.
   *
   * @throws RegistryException naming the model and its known versions when there is none
   */
  public ModelVersion require(String model, int version) {
    return find(model, version)
        .orElseThrow(
            () ->
                new RegistryException(
                    latestVersion(model) == 0
                        ? String.format("Unknown model '%s': it has no registered versions.", model)
                        : String.format(
                            "Unknown version %d of model '%s': its versions are 1 to %d.",
                            version, model, latestVersion(model))));
  }

  /** Every version of {@code model}, oldest first. */
  public List<ModelVersion> versions(String model) {
    List<ModelVersion> out = new ArrayList<>();
    for (Row row : table(versions).where(col("model_name").equalTo(model)).orderBy("version").collectAsList()) {
      out.add(ModelVersionRows.fromRow(row));
    }
    return out;
  }

  /** A version registered earlier for the same date, spec and training data, if any (the rerun of a train job). */
  public Optional<ModelVersion> findSameTraining(
      String model, java.sql.Date logicalDate, String specSha256, Long dataVersion) {
    var condition =
        col("model_name")
            .equalTo(model)
            .and(col("logical_date").equalTo(lit(logicalDate)))
            .and(col("spec_sha256").equalTo(specSha256))
            .and(
                dataVersion == null
                    ? col("training_data_version").isNull()
                    : col("training_data_version").equalTo(dataVersion));
    List<Row> rows = table(versions).where(condition).orderBy(col("version").desc()).limit(1).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(ModelVersionRows.fromRow(rows.get(0)));
  }

  /** Names of every registered model, sorted. */
  public List<String> models() {
    return table(versions).select("model_name").distinct().orderBy("model_name").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  /** Where each alias of {@code model} points now. */
  public Map<String, Integer> aliases(String model) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Row row : table(aliases).where(col("model_name").equalTo(model)).orderBy("alias").collectAsList()) {
      out.put(row.getString(row.fieldIndex("alias")), row.getInt(row.fieldIndex("version")));
    }
    return out;
  }

  public Optional<Integer> alias(String model, String alias) {
    return Optional.ofNullable(aliases(model).get(alias));
  }

  /** {@code model}'s history, in commit order. */
  public ModelHistory history(String model) {
    List<ModelEvent> out = new ArrayList<>();
    int last = 0;
    // Events of one commit share its number; rows written before numbering existed (null) come first.
    Dataset<Row> rows =
        table(events)
            .where(col("model_name").equalTo(model))
            .orderBy(org.apache.spark.sql.functions.coalesce(col("seq"), lit(0)), col("at"), col("version"));
    for (Row row : rows.collectAsList()) {
      out.add(
          new ModelEvent(
              row.getString(row.fieldIndex("model_name")),
              row.getInt(row.fieldIndex("version")),
              row.getString(row.fieldIndex("event")),
              row.isNullAt(row.fieldIndex("previous_version")) ? null : row.getInt(row.fieldIndex("previous_version")),
              row.getString(row.fieldIndex("actor")),
              row.getString(row.fieldIndex("reason")),
              row.getTimestamp(row.fieldIndex("at")),
              row.getJavaMap(row.fieldIndex("metrics")),
              row.getString(row.fieldIndex("run_id"))));
      if (!row.isNullAt(row.fieldIndex("seq"))) {
        last = Math.max(last, row.getInt(row.fieldIndex("seq")));
      }
    }
    return new ModelHistory(model, out, last);
  }

  /**
   * Decides and records a move of {@code model}'s aliases. {@code decide} sees the current history and returns the
   * events to append (none: nothing to do); they are appended as one commit that claims the next commit number, so of
   * two concurrent moves decided on the same history only one lands and the other decides again on the new history.
   * Then {@code model_aliases} is brought in line with the history.
   *
   * @return the history after the commit
   */
  public ModelHistory commit(String model, java.util.function.Function<ModelHistory, List<ModelEvent>> decide) {
    for (int attempt = 0; attempt < DeltaRetry.ATTEMPTS * 4; attempt++) {
      ModelHistory history = history(model);
      List<ModelEvent> decided = decide.apply(history);
      if (decided.isEmpty() || append(model, history.lastCommit() + 1, decided)) {
        // The commit number was free, so nothing landed between the read and the append: extend in memory.
        List<ModelEvent> events = new ArrayList<>(history.events());
        events.addAll(decided);
        ModelHistory after =
            decided.isEmpty() ? history : new ModelHistory(model, events, history.lastCommit() + 1);
        syncAliases(after);
        return after;
      }
    }
    throw new IllegalStateException(
        "Cannot change the aliases of model '" + model + "': too many concurrent changes; try again.");
  }

  /** Appends {@code decided} as commit {@code number} unless that number is taken; true when it was appended. */
  private boolean append(String model, int number, List<ModelEvent> decided) {
    List<Row> rows = new ArrayList<>();
    for (ModelEvent event : decided) {
      rows.add(
          RowFactory.create(
              model,
              event.version(),
              event.event(),
              event.previousVersion(),
              event.actor(),
              event.reason(),
              event.at(),
              event.metrics(),
              event.runId(),
              number));
    }
    String source = "nightjar_new_events_" + java.util.UUID.randomUUID().toString().replace("-", "");
    spark.createDataFrame(rows, RegistryTables.MODEL_EVENTS_SCHEMA).createOrReplaceTempView(source);
    try {
      // Every row of the commit has the same number: either all are inserted or, when a concurrent commit took the
      // number first, none.
      Row result =
          spark
              .sql(
                  "MERGE INTO delta." + Identifiers.quote(warehouse.location(events)) + " t USING " + source + " s"
                      + " ON t.model_name = s.model_name AND t.seq = s.seq"
                      + " WHEN NOT MATCHED THEN INSERT *")
              .first();
      return result.<Long>getAs("num_inserted_rows") == rows.size();
    } catch (io.delta.exceptions.DeltaConcurrentModificationException e) {
      return false;
    } finally {
      spark.catalog().dropTempView(source);
    }
  }

  /** Points {@code model_aliases} where {@code history} says the aliases are (no commit when they already do). */
  public void syncAliases(ModelHistory history) {
    Map<String, Integer> derived = new LinkedHashMap<>();
    history.production().ifPresent(v -> derived.put(RegistryTables.PRODUCTION, v));
    history.candidate().ifPresent(v -> derived.put(RegistryTables.CANDIDATE, v));
    if (!derived.equals(aliases(history.model()))) {
      setAliases(history.model(), derived, history.lastCommit());
    }
  }

  /**
   * Points several aliases of {@code model} at once, in one commit, unless a row already follows from a later
   * history commit than {@code seq}.
   */
  private void setAliases(String model, Map<String, Integer> targets, int seq) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    targets.forEach((alias, version) -> rows.add(RowFactory.create(model, alias, version, now, seq)));
    Dataset<Row> row = spark.createDataFrame(rows, RegistryTables.MODEL_ALIASES_SCHEMA);
    DeltaRetry.run(
        "move aliases " + targets.keySet() + " of model " + model,
        () ->
            DeltaTable.forPath(spark, warehouse.location(aliases))
                .as("t")
                .merge(row.as("s"), "t.model_name = s.model_name AND t.alias = s.alias")
                .whenMatched("t.seq IS NULL OR t.seq <= s.seq")
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute());
  }

  /** A registry table's rows; empty (with its schema) before the first job has created it. */
  private Dataset<Row> table(TableName name) {
    if (!warehouse.exists(name)) {
      return spark.createDataFrame(List.of(), SCHEMAS.get(name.table()));
    }
    return spark.read().format("delta").load(warehouse.location(name));
  }
}
