package io.nightjar.model;

import io.nightjar.data.Columns;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.Imputer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;

/**
 * Which features are numeric and which categorical, and the stages that turn them into the {@link
 * Columns#FEATURES} vector inside the saved pipeline, so that a model scores raw input rows.
 *
 * <p>Policies (docs/losses.md): a categorical level not seen in training maps to one extra
 * "unknown" index (never a crash); with {@code impute}, missing numeric values (null or NaN) are
 * replaced by the training median.
 */
public record FeaturePlan(List<String> numeric, List<String> categorical) {
  public FeaturePlan {
    numeric = List.copyOf(numeric);
    categorical = List.copyOf(categorical);
  }

  public static FeaturePlan of(List<String> features, List<String> categorical) {
    List<String> numeric = new ArrayList<>();
    for (String feature : features) {
      if (!categorical.contains(feature)) {
        numeric.add(feature);
      }
    }
    return new FeaturePlan(numeric, categorical.stream().filter(features::contains).toList());
  }

  /**
   * Preparation stages. {@code oneHot} expands categorical levels to indicator columns (linear
   * models); otherwise the level index is the feature (trees). {@code impute} fills missing numeric
   * values with the training median.
   */
  public List<PipelineStage> stages(boolean oneHot, boolean impute) {
    List<PipelineStage> stages = new ArrayList<>();
    List<String> vectorInputs = new ArrayList<>();
    if (!numeric.isEmpty()) {
      if (impute) {
        String[] outputs = numeric.stream().map(f -> "__imputed_" + f).toArray(String[]::new);
        stages.add(
            new Imputer()
                .setStrategy("median")
                .setInputCols(numeric.toArray(String[]::new))
                .setOutputCols(outputs));
        vectorInputs.addAll(List.of(outputs));
      } else {
        vectorInputs.addAll(numeric);
      }
    }
    if (!categorical.isEmpty()) {
      String[] indexed = categorical.stream().map(f -> "__index_" + f).toArray(String[]::new);
      stages.add(
          new StringIndexer()
              .setInputCols(categorical.toArray(String[]::new))
              .setOutputCols(indexed)
              .setHandleInvalid("keep")
              .setStringOrderType("frequencyDesc"));
      if (oneHot) {
        String[] encoded = categorical.stream().map(f -> "__onehot_" + f).toArray(String[]::new);
        stages.add(
            new OneHotEncoder()
                .setInputCols(indexed)
                .setOutputCols(encoded)
                .setHandleInvalid("keep"));
        vectorInputs.addAll(List.of(encoded));
      } else {
        vectorInputs.addAll(List.of(indexed));
      }
    }
    stages.add(
        new VectorAssembler()
            .setInputCols(vectorInputs.toArray(String[]::new))
            .setOutputCol(Columns.FEATURES)
            .setHandleInvalid("keep"));
    return stages;
  }
}
