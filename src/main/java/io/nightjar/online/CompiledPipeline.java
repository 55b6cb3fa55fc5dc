package io.nightjar.online;

import static java.util.Objects.requireNonNull;

import io.nightjar.config.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;

/**
 * A pipeline compiled by {@link RowScorers}: the raw inputs, the stages in order and the columns
 * the answer is read from. Immutable; each call scores in a {@link RowState} of its own, so any
 * number of threads may share one.
 */
final class CompiledPipeline implements RowScorer {
  private final Task task;
  private final List<FeatureInput> inputs;
  private final List<RowColumn> inputColumns;
  private final List<RowStage> stages;
  private final int slots;
  private final RowColumn prediction;
  private final RowColumn probability;

  CompiledPipeline(
      Task task,
      List<FeatureInput> inputs,
      List<RowColumn> inputColumns,
      List<RowStage> stages,
      int slots,
      RowColumn prediction,
      RowColumn probability) {
    this.task = task;
    this.inputs = List.copyOf(inputs);
    this.inputColumns = List.copyOf(inputColumns);
    this.stages = List.copyOf(stages);
    this.slots = slots;
    this.prediction = prediction;
    this.probability = probability;
  }

  @Override
  public RowPrediction score(Map<String, ?> features) {
    RowState row = read(features);
    for (RowStage stage : stages) {
      stage.apply(row);
    }
    return answer(row);
  }

  @Override
  public List<RowPrediction> scoreAll(List<? extends Map<String, ?>> batch) {
    requireNonNull(batch, "rows is null");
    List<RowState> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      try {
        rows.add(read(batch.get(i)));
      } catch (RowInputException e) {
        throw e.inRow(i);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    for (RowStage stage : stages) {
      stage.applyAll(rows);
    }
    List<RowPrediction> out = new ArrayList<>(rows.size());
    for (RowState row : rows) {
      out.add(answer(row));
    }
    return out;
  }

  private RowState read(Map<String, ?> features) {
    requireNonNull(features, "features is null");
    RowState row = new RowState(slots);
    for (int i = 0; i < inputs.size(); i++) {
      FeatureInput input = inputs.get(i);
      row.set(inputColumns.get(i), FeatureValues.read(input, features.get(input.name())));
    }
    return row;
  }

  private RowPrediction answer(RowState row) {
    Double predicted = SparkCasts.toDouble(row.get(prediction));
    if (predicted == null) {
      throw new IllegalStateException("The pipeline gave no prediction for this row.");
    }
    Double p = null;
    if (probability != null) {
      // Predictions.predict: vector_to_array(probability)[1], null when there is no such element.
      Vector vector = (Vector) row.get(probability);
      p = vector == null || vector.size() < 2 ? null : vector.apply(1);
    }
    return new RowPrediction(predicted, p);
  }

  @Override
  public List<FeatureInput> inputs() {
    return inputs;
  }

  @Override
  public Task task() {
    return task;
  }
}
