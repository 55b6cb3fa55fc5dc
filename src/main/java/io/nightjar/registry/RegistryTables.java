package io.nightjar.registry;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import org.apache.spark.sql.types.StructType;

/** Names and schemas of the registry's tables (SPEC §6), shared by writers, readers and tests. */
public final class RegistryTables {
  public static final String MODEL_VERSIONS = "model_versions";
  public static final String MODEL_ALIASES = "model_aliases";
  public static final String MODEL_EVENTS = "model_events";

  public static final String PRODUCTION = "production";
  public static final String CANDIDATE = "candidate";

  public static final StructType MODEL_VERSIONS_SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("version", IntegerType, false)
          .add("run_id", StringType, false)
          .add("created_at", TimestampType, false)
          .add("logical_date", DateType, true)
          .add("author", StringType, true)
          .add("task", StringType, false)
          .add("family", StringType, false)
          .add("engine", StringType, true)
          .add("loss", StringType, false)
          .add("quantile", DoubleType, true)
          .add("params", createMapType(StringType, StringType), false)
          .add("features", createArrayType(StringType), false)
          .add("categorical", createArrayType(StringType), false)
          .add("id_col", StringType, false)
          .add("label", StringType, false)
          .add("weight_col", StringType, true)
          .add("training_source", StringType, false)
          .add("training_data_version", LongType, true)
          .add("training_rows", LongType, false)
          .add("holdout_rows", LongType, false)
          .add("cv_metric", StringType, false)
          .add("cv_mean", DoubleType, false)
          .add("cv_std", DoubleType, false)
          .add("holdout_metrics", createMapType(StringType, DoubleType), false)
          .add("tuning_seconds", DoubleType, false)
          .add("train_seconds", DoubleType, false)
          .add("budget_exhausted", BooleanType, false)
          .add("artifact_uri", StringType, false)
          .add("packages", createMapType(StringType, StringType), false)
          .add("spec_yaml", StringType, false)
          .add("spec_sha256", StringType, false);

  public static final StructType MODEL_ALIASES_SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("alias", StringType, false)
          .add("version", IntegerType, false)
          .add("updated_at", TimestampType, false)
          // Nightjar's own column: the model_events commit number ({@code seq}) this position follows from. An
          // alias only moves to a position of a later or equal commit, so a slow writer cannot move it back.
          .add("seq", IntegerType, true);

  public static final StructType MODEL_EVENTS_SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("version", IntegerType, false)
          .add("event", StringType, false)
          .add("previous_version", IntegerType, true)
          .add("actor", StringType, false)
          .add("reason", StringType, true)
          .add("at", TimestampType, false)
          .add("metrics", createMapType(StringType, DoubleType), false)
          .add("run_id", StringType, true)
          // Nightjar's own column: the number of the registry commit that wrote the event, per model (1, 2, ...).
          // Claiming the next number is how concurrent promotions and rollbacks are told apart (see ModelRegistry).
          .add("seq", IntegerType, true);

  private RegistryTables() {}
}
