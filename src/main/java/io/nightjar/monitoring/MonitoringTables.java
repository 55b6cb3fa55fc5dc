package io.nightjar.monitoring;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import org.apache.spark.sql.types.StructType;

/** Names and schemas of the monitoring tables written by {@code evaluate} (SPEC §6). */
public final class MonitoringTables {
  public static final String MODEL_METRICS = "model_metrics";
  public static final String FEATURE_DRIFT = "feature_drift";

  /** The row of {@code feature_drift} that holds the PSI of the predictions themselves. */
  public static final String PREDICTION_FEATURE = "(prediction)";

  public static final StructType MODEL_METRICS_SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("version", IntegerType, false)
          .add("logical_date", DateType, false)
          .add("metric", StringType, false)
          .add("value", DoubleType, true)
          .add("rows", LongType, false)
          .add("computed_at", TimestampType, false)
          // Nightjar's own columns: the version's holdout value of the metric, and whether the metric degraded past
          // monitoring.degradation_factor times it (only the spec's tuning metric raises alerts).
          .add("holdout_value", DoubleType, true)
          .add("alert", BooleanType, false);

  public static final StructType FEATURE_DRIFT_SCHEMA =
      new StructType()
          .add("model_name", StringType, false)
          .add("version", IntegerType, false)
          .add("logical_date", DateType, false)
          .add("feature", StringType, false)
          .add("psi", DoubleType, false)
          .add("alert", BooleanType, false);

  private MonitoringTables() {}
}
