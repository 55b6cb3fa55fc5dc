package io.nightjar.lookup;

import io.nightjar.config.TableName;
import io.nightjar.config.Task;
import io.nightjar.jobs.JobContext;
import io.nightjar.scoring.PredictionTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Writes prediction tables of handmade rows (no model is trained), the way {@code score} writes
 * them.
 */
public final class PredictionRows {
  private final JobContext context;
  private final PredictionTable table;
  private final Task task;
  private final DataType idType;

  public PredictionRows(JobContext context, String output, Task task, DataType idType) {
    this.context = context;
    this.task = task;
    this.idType = idType;
    this.table =
        new PredictionTable(
            context.warehouse(),
            new TableName(context.env().database(), output),
            "id",
            idType,
            task);
  }

  public PredictionTable table() {
    return table;
  }

  public ServedModel served(String model) {
    return new ServedModel(
        model, task, "id", table.name(), context.warehouse().location(table.name()));
  }

  /**
   * Replaces {@code model}'s rows of {@code date} with ids {@code from} to {@code to - 1}, each
   * predicted {@code prediction(id)} by {@code version}, scored at {@code scoredAt} and valid for
   * {@code ttl}; then recreates the view.
   */
  public void write(
      String model,
      int version,
      LocalDate date,
      long from,
      long to,
      LongFunction<Double> prediction,
      Instant scoredAt,
      Duration ttl) {
    List<Row> rows = new ArrayList<>();
    for (long id = from; id < to; id++) {
      List<Object> values = new ArrayList<>();
      values.add(idType == DataTypes.StringType ? "e-" + id : (Object) id);
      double p = prediction.apply(id);
      values.add(task == Task.CLASSIFICATION ? (p >= 0.5 ? 1.0 : 0.0) : p);
      if (task == Task.CLASSIFICATION) {
        values.add(p);
      }
      values.addAll(
          List.of(
              model,
              version,
              "run-" + date + "-" + version,
              Date.valueOf(date),
              Timestamp.from(scoredAt),
              Timestamp.from(scoredAt.plus(ttl))));
      values.add(null);
      rows.add(RowFactory.create(values.toArray()));
    }
    table.replaceDate(context.spark().createDataFrame(rows, table.schema()), model, date);
    table.createCurrentView();
  }
}
