package io.nightjar.online;

import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.LinearSVCModel;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.ImputerModel;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.feature.VectorSlicer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.regression.GBTRegressionModel;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Compiles a fitted {@link PipelineModel} into a {@link RowScorer}. Every stage becomes a {@link
 * RowStage} when it is compiled, so an unsupported stage is refused here, when a model is loaded,
 * and never in a request. Compiling reads what the stages hold (it may run a small Spark job, e.g.
 * for an Imputer's surrogates); scoring never does.
 */
public final class RowScorers {
  /** The built-in compilers: Spark ML feature stages, MLlib models, Nightjar's stages. */
  private static final List<StageCompiler> BUILT_IN =
      List.of(
          StageCompiler.of(StringIndexerModel.class, FeatureStages::indexer),
          StageCompiler.of(OneHotEncoderModel.class, FeatureStages::oneHot),
          StageCompiler.of(ImputerModel.class, FeatureStages::imputer),
          StageCompiler.of(VectorAssembler.class, VectorStages::assembler),
          StageCompiler.of(VectorSlicer.class, VectorStages::slicer),
          StageCompiler.of(GBTRegressionModel.class, ModelStages::gbtRegression),
          StageCompiler.of(LinearRegressionModel.class, ModelStages::regression),
          StageCompiler.of(GBTClassificationModel.class, ModelStages::gbtClassification),
          StageCompiler.of(LogisticRegressionModel.class, ModelStages::probabilistic),
          StageCompiler.of(LinearSVCModel.class, ModelStages::classification),
          new NightjarStages());

  private RowScorers() {}

  /**
   * Compiles {@code pipeline}, which reads columns of {@code inputSchema} (the feature columns as
   * the model was trained on them: a boolean column may be given as boolean; Nightjar feeds it to
   * the pipeline as 0/1) and writes {@link Columns#PREDICTION} (and for classification {@link
   * Columns#PROBABILITY_VECTOR}).
   *
   * @param extraCompilers tried before the built-in ones, in order (e.g. an engine's models)
   * @throws UnsupportedStageException naming the stage's class and uid when no compiler knows a
   *     stage, a stage reads a column nothing gives, or a feature the pipeline reads has a type a
   *     request cannot carry (decimal, date, ...)
   */
  public static RowScorer compile(
      PipelineModel pipeline,
      Task task,
      StructType inputSchema,
      List<StageCompiler> extraCompilers) {
    RowColumns columns = new RowColumns();
    List<StructField> fields = List.of(inputSchema.fields());
    List<RowColumn> inputColumns = new ArrayList<>();
    for (StructField field : fields) {
      inputColumns.add(columns.source(field));
    }
    List<StageCompiler> compilers = new ArrayList<>(extraCompilers);
    compilers.addAll(BUILT_IN);
    List<RowStage> stages = new ArrayList<>();
    for (Transformer stage : flatten(pipeline)) {
      stages.add(compile(stage, columns, compilers));
    }
    List<FeatureInput> inputs = new ArrayList<>();
    List<RowColumn> read = new ArrayList<>();
    for (int i = 0; i < fields.size(); i++) {
      if (columns.isRead(inputColumns.get(i))) {
        inputs.add(FeatureValues.input(fields.get(i)));
        read.add(inputColumns.get(i));
      }
    }
    RowColumn prediction = output(columns, pipeline, Columns.PREDICTION, false);
    RowColumn probability =
        task == Task.CLASSIFICATION
            ? output(columns, pipeline, Columns.PROBABILITY_VECTOR, true)
            : null;
    return new CompiledPipeline(
        task, inputs, read, stages, columns.slots(), prediction, probability);
  }

  private static RowStage compile(
      Transformer stage, RowColumns columns, List<StageCompiler> compilers) {
    for (StageCompiler compiler : compilers) {
      Optional<RowStage> found = compiler.find(stage, columns);
      if (found.isPresent()) {
        return found.get();
      }
    }
    throw new UnsupportedStageException(
        String.format(
            "Cannot score %s online: the row scorer does not know this stage. It compiles"
                + " StringIndexerModel, OneHotEncoderModel, ImputerModel, VectorAssembler,"
                + " VectorSlicer, the MLlib GBT, linear, logistic and LinearSVC models, XGBoost"
                + " models and Nightjar's own stages; score this model in batch instead.",
            describe(stage)));
  }

  /** The stages of {@code pipeline} in the order transform runs them, nested pipelines opened. */
  static List<Transformer> flatten(PipelineModel pipeline) {
    List<Transformer> out = new ArrayList<>();
    for (Transformer stage : pipeline.stages()) {
      if (stage instanceof PipelineModel nested) {
        out.addAll(flatten(nested));
      } else {
        out.add(stage);
      }
    }
    return out;
  }

  private static RowColumn output(
      RowColumns columns, PipelineModel pipeline, String name, boolean vector) {
    RowColumn column = columns.find(name);
    boolean ok =
        column != null
            && (vector
                ? column.type().equals(SQLDataTypes.VectorType())
                : SparkCasts.isNumber(column.type()));
    if (!ok) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot score pipeline %s online: it does not write the %s column '%s'.",
              pipeline.uid(), vector ? "vector" : "numeric", name));
    }
    return column;
  }

  /** A stage as error messages name it: its class and uid. */
  public static String describe(Transformer stage) {
    return "stage " + stage.getClass().getName() + " (uid " + stage.uid() + ")";
  }
}
