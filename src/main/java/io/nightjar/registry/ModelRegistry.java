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
   * concurrent registrations of the same model.
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
        // Insert-if-absent: the MERGE reports whether it inserted, i.e. whether this number was still free. A
        // concurrent registration that committed first makes it fail with a conflict or insert nothing.
        Row result =
            spark
                .sql(
                    "MERGE INTO " + target + " t USING " + source + " s"
                        + " ON t.model_name = s.model_name AND t.version = s.version"
                        + " WHEN NOT MATCHED THEN INSERT *")
                .first();
        if (result.<Long>getAs("num_inserted_rows") == 1L) {
          return next;
        }
      } catch (io.delta.exceptions.DeltaConcurrentModificationException e) {
        // another registration committed first: look again for the next free number
      } finally {
        spark.catalog().dropTempView(source);
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

  /** Points {@code alias} of {@code model} at {@code version} (insert or update, one commit). */
  public void setAlias(String model, String alias, int version) {
    setAliases(model, Map.of(alias, version));
  }

  /** Points several aliases of {@code model} at once, in one commit. */
  public void setAliases(String model, Map<String, Integer> targets) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    targets.forEach((alias, version) -> rows.add(RowFactory.create(model, alias, version, now)));
    Dataset<Row> row = spark.createDataFrame(rows, RegistryTables.MODEL_ALIASES_SCHEMA);
    DeltaRetry.run(
        "move aliases " + targets.keySet() + " of model " + model,
        () ->
            DeltaTable.forPath(spark, warehouse.location(aliases))
                .as("t")
                .merge(row.as("s"), "t.model_name = s.model_name AND t.alias = s.alias")
                .whenMatched()
                .updateAll()
                .whenNotMatched()
                .insertAll()
                .execute());
  }

  /** Appends one event to the history. */
  public void record(ModelEvent event) {
    record(List.of(event));
  }

  /** Appends events to the history in one commit, in order. */
  public void record(List<ModelEvent> history) {
    List<Row> rows = new ArrayList<>();
    for (ModelEvent event : history) {
      rows.add(
          RowFactory.create(
              event.modelName(),
              event.version(),
              event.event(),
              event.previousVersion(),
              event.actor(),
              event.reason(),
              event.at(),
              event.metrics(),
              event.runId()));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, RegistryTables.MODEL_EVENTS_SCHEMA);
    DeltaRetry.run(
        "record " + history.size() + " registry events",
        () -> frame.write().format("delta").mode("append").save(warehouse.location(events)));
  }

  /** The history of {@code model}, oldest first. */
  public Dataset<Row> history(String model) {
    return table(events).where(col("model_name").equalTo(model)).orderBy("at", "version");
  }

  /** A registry table's rows; empty (with its schema) before the first job has created it. */
  private Dataset<Row> table(TableName name) {
    if (!warehouse.exists(name)) {
      return spark.createDataFrame(List.of(), SCHEMAS.get(name.table()));
    }
    return spark.read().format("delta").load(warehouse.location(name));
  }

  /** True when {@code model}'s history has an {@code event} row for {@code version}. */
  public boolean hasEvent(String model, int version, String event) {
    return !table(events)
        .where(col("model_name").equalTo(model).and(col("version").equalTo(version)).and(col("event").equalTo(event)))
        .isEmpty();
  }
}
