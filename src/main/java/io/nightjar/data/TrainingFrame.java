package io.nightjar.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Training rows checked against a spec and put in the shape the trainers expect: the id, the
 * feature columns as written by the user, the label as a double in {@link Columns#LABEL} (0/1 for
 * classification), the weight in {@link Columns#WEIGHT} when set, and the time column when set.
 * Every check runs in one pass over the data, before anything is written.
 */
public record TrainingFrame(
    Dataset<Row> rows, List<String> features, List<String> categorical, long rowCount) {

  /**
   * Validates {@code source} for {@code spec}.
   *
   * @throws DataException naming the column and what was found when the data cannot train this
   *     model
   */
  public static TrainingFrame prepare(ModelSpec spec, Dataset<Row> source) {
    var data = spec.data();
    String context = "Cannot train model '" + spec.name() + "'";
    // A file source with no rows has no values to infer types from: a CSV file with a header and no
    // rows reads as all strings, and a type error about its first feature would hide the real
    // problem. So every schema error checks for rows first; a source that passes the type checks
    // learns its row count from the aggregates below, without a Spark job of its own.
    List<String> features;
    try {
      features = checkSchema(spec, source, context);
    } catch (DataException e) {
      requireRows(!source.isEmpty(), spec, context);
      throw e;
    }
    Dataset<Row> shaped = shape(spec, source, features);
    long rows = check(spec, shaped, features, context);
    return new TrainingFrame(shaped, features, data.categorical(), rows);
  }

  /**
   * {@code source} in the shape {@link #prepare} gives, without its checks: for data that a
   * registered version was trained on, at the Delta version it was trained on, so it passed them
   * then.
   */
  public static Dataset<Row> shapeChecked(ModelSpec spec, Dataset<Row> source) {
    List<String> features =
        resolveFeatures(spec, new LinkedHashSet<>(Arrays.asList(source.schema().fieldNames())));
    return shape(spec, source, features);
  }

  /**
   * The column and type checks, from the schema (and, for an error, a few values); returns the
   * features.
   */
  private static List<String> checkSchema(ModelSpec spec, Dataset<Row> source, String context) {
    var data = spec.data();
    StructType schema = source.schema();
    Set<String> columns = new LinkedHashSet<>(Arrays.asList(schema.fieldNames()));
    requireColumn(context, columns, data.id(), "data.id");
    requireColumn(context, columns, data.label(), "data.label");
    if (data.weight() != null) {
      requireColumn(context, columns, data.weight(), "data.weight");
    }
    if (data.time() != null) {
      requireColumn(context, columns, data.time(), "data.time");
    }
    List<String> features = resolveFeatures(spec, columns);
    for (String feature : features) {
      requireColumn(context, columns, feature, "data.features");
      DataType type = schema.apply(feature).dataType();
      boolean categorical = data.categorical().contains(feature);
      boolean usable =
          type instanceof NumericType
              || type instanceof BooleanType
              || (categorical && type instanceof StringType);
      if (!usable) {
        throw new DataException(
            String.format(
                "%s: feature column '%s' has type %s%s; features must be numeric or boolean, or strings listed in"
                    + " data.categorical.",
                context,
                feature,
                type.simpleString(),
                ColumnValues.whyNotNumeric(source, feature)));
      }
    }
    ColumnValues.checkTypes(spec, source, context);
    return features;
  }

  private static void requireColumn(
      String context, Set<String> columns, String column, String key) {
    DataException.check(
        columns.contains(column),
        "%s: column '%s' (%s) is not in the data; its columns are: %s.",
        context,
        column,
        key,
        String.join(", ", columns));
  }

  /** The spec's features, or every column but id, label, weight and time. */
  public static List<String> resolveFeatures(ModelSpec spec, Set<String> columns) {
    var data = spec.data();
    if (!data.features().isEmpty()) {
      return data.features();
    }
    List<String> out = new ArrayList<>();
    for (String column : columns) {
      if (!column.equals(data.id())
          && !column.equals(data.label())
          && !column.equals(data.weight())
          && !column.equals(data.time())
          && !column.startsWith("__")) {
        out.add(column);
      }
    }
    return List.copyOf(out);
  }

  /**
   * A feature as the model pipeline reads it: booleans become 0/1 doubles (Spark's Imputer and
   * VectorAssembler take numbers), everything else is passed as is. Training and scoring both go
   * through here.
   */
  public static Column featureColumn(Dataset<Row> rows, String feature) {
    StructField field = rows.schema().apply(feature);
    return field.dataType() instanceof BooleanType
        ? col(feature).cast("double").as(feature)
        : col(feature);
  }

  /**
   * {@code rows} with every boolean feature cast as {@link #featureColumn} does; other columns
   * unchanged.
   */
  public static Dataset<Row> withModelTypes(Dataset<Row> rows, List<String> features) {
    Dataset<Row> out = rows;
    for (String feature : features) {
      if (rows.schema().apply(feature).dataType() instanceof BooleanType) {
        out = out.withColumn(feature, col(feature).cast("double"));
      }
    }
    return out;
  }

  private static Dataset<Row> shape(ModelSpec spec, Dataset<Row> source, List<String> features) {
    var data = spec.data();
    List<Column> select = new ArrayList<>();
    select.add(col(data.id()));
    for (String feature : features) {
      select.add(featureColumn(source, feature));
    }
    Column label = col(data.label());
    if (spec.task() == Task.CLASSIFICATION && data.positive() != null) {
      label =
          when(label.isNull(), lit(null))
              .otherwise(when(label.cast("string").equalTo(data.positive()), 1.0).otherwise(0.0));
    }
    select.add(label.cast("double").as(Columns.LABEL));
    if (data.weight() != null) {
      select.add(col(data.weight()).cast("double").as(Columns.WEIGHT));
    }
    if (data.time() != null && !features.contains(data.time())) {
      select.add(col(data.time()));
    }
    return source.select(select.toArray(Column[]::new));
  }

  private static long check(
      ModelSpec spec, Dataset<Row> rows, List<String> features, String context) {
    var data = spec.data();
    List<Column> aggregates = new ArrayList<>();
    aggregates.add(count(lit(1)).as("rows"));
    aggregates.add(countIf(col(data.id()).isNull()).as("null_ids"));
    Column label = col(Columns.LABEL);
    aggregates.add(countIf(label.isNull()).as("null_labels"));
    aggregates.add(countIf(label.isNaN()).as("nan_labels"));
    aggregates.add(countIf(infinite(label)).as("inf_labels"));
    aggregates.add(countIf(label.equalTo(1.0)).as("positives"));
    aggregates.add(countIf(label.equalTo(0.0)).as("negatives"));
    List<String> numeric = new ArrayList<>();
    for (String feature : features) {
      if (!data.categorical().contains(feature)) {
        numeric.add(feature);
        aggregates.add(countIf(infinite(col(feature).cast("double"))).as("inf_" + numeric.size()));
      }
    }
    if (data.weight() != null) {
      Column weight = col(Columns.WEIGHT);
      aggregates.add(
          countIf(weight.isNull().or(weight.isNaN()).or(weight.lt(0)).or(infinite(weight)))
              .as("bad_w"));
    }
    Row stats =
        rows.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
            .first();
    long total = stats.getAs("rows");
    requireRows(total > 0, spec, context);
    DataException.check(
        (long) stats.getAs("null_ids") == 0,
        "%s: id column '%s' has %d null values.",
        context,
        data.id(),
        (long) stats.getAs("null_ids"));
    checkLabel(context, data.label(), stats, "null_labels", "null");
    checkLabel(context, data.label(), stats, "nan_labels", "NaN");
    checkLabel(context, data.label(), stats, "inf_labels", "infinite");
    for (int i = 0; i < numeric.size(); i++) {
      long infinite = stats.getAs("inf_" + (i + 1));
      DataException.check(
          infinite == 0,
          "%s: feature column '%s' has %d infinite values; use null for a missing value.",
          context,
          numeric.get(i),
          infinite);
    }
    if (data.weight() != null) {
      long bad = stats.getAs("bad_w");
      DataException.check(
          bad == 0,
          "%s: weight column '%s' has %d null, NaN, infinite or negative values; weights must be numbers >= 0.",
          context,
          data.weight(),
          bad);
    }
    if (spec.task() == Task.CLASSIFICATION) {
      long positives = stats.getAs("positives");
      long negatives = stats.getAs("negatives");
      DataException.check(
          positives + negatives == total,
          "%s: label column '%s' has %d values outside {0, 1}; set data.positive to the value of the positive class.",
          context,
          data.label(),
          total - positives - negatives);
      DataException.check(
          positives > 0 && negatives > 0,
          "%s: label column '%s' has a single class (%d positive, %d negative rows); classification needs both.",
          context,
          data.label(),
          positives,
          negatives);
    }
    return total;
  }

  private static void requireRows(boolean hasRows, ModelSpec spec, String context) {
    DataException.check(
        hasRows, "%s: data.training (%s) has no rows.", context, spec.data().training().describe());
  }

  private static void checkLabel(
      String context, String label, Row stats, String field, String what) {
    long found = stats.getAs(field);
    DataException.check(
        found == 0, "%s: label column '%s' has %d %s values.", context, label, found, what);
  }

  private static Column countIf(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }

  private static Column infinite(Column value) {
    return value.equalTo(Double.POSITIVE_INFINITY).or(value.equalTo(Double.NEGATIVE_INFINITY));
  }
}
