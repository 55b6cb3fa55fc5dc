package io.nightjar.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import io.nightjar.data.Columns;
import io.nightjar.model.estimators.PredictionOffset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model artifacts saved before the training packages were re-cut name Nightjar's stages by their
 * old classes ({@code io.nightjar.train.DenseFeatures}, {@code
 * io.nightjar.train.estimators.PredictionOffset}); they still load, as the stages of today with
 * their saved params.
 */
class MovedStagesTest {
  @Test
  void pipelinesSavedUnderTheOldClassNamesLoadAsTheCurrentStages(@TempDir Path dir)
      throws Exception {
    StructType schema =
        new StructType()
            .add(Columns.FEATURES, SQLDataTypes.VectorType())
            .add(Columns.PREDICTION, DataTypes.DoubleType);
    Dataset<Row> rows =
        TestSpark.session()
            .createDataFrame(
                List.of(
                    RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {2.0}), 1.5)),
                schema);
    PipelineStage[] stages = {
      new DenseFeatures(), new PredictionOffset().setPredictionCol(Columns.PREDICTION)
    };
    PipelineModel model = new Pipeline().setStages(stages).fit(rows);
    ((PredictionOffset) model.stages()[1])
        .set(((PredictionOffset) model.stages()[1]).offset(), 0.25);
    Path saved = dir.resolve("model");
    model.save(saved.toString());
    renameClasses(saved.resolve("stages"));

    PipelineModel loaded = PipelineModel.load(saved.toString());

    assertThat(loaded.stages()[0]).isInstanceOf(DenseFeatures.class);
    assertThat(loaded.stages()[1]).isInstanceOf(PredictionOffset.class);
    assertThat(loaded.stages()[1].uid()).isEqualTo(model.stages()[1].uid());
    Row out = loaded.transform(rows).first();
    assertThat(((Vector) out.getAs(Columns.FEATURES)).toArray()).containsExactly(0.0, 2.0, 0.0);
    assertThat(out.<Double>getAs(Columns.PREDICTION)).isEqualTo(1.75);
  }

  /**
   * Writes the old class names into every stage's metadata, as an artifact saved before the move
   * has them.
   */
  private static void renameClasses(Path stages) throws Exception {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(stages)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      if (file.getFileName().toString().endsWith(".crc")) {
        // The checksums would no longer match the rewritten metadata; Hadoop reads files without
        // them.
        Files.delete(file);
      } else if (file.getParent().getFileName().toString().equals("metadata")) {
        String text =
            Files.readString(file)
                .replace(
                    "\"io.nightjar.model.DenseFeatures\"", "\"io.nightjar.train.DenseFeatures\"")
                .replace(
                    "\"io.nightjar.model.estimators.PredictionOffset\"",
                    "\"io.nightjar.train.estimators.PredictionOffset\"");
        Files.writeString(file, text);
      }
    }
    try (Stream<Path> walk = Files.walk(stages)) {
      assertThat(walk.filter(f -> f.toString().endsWith("part-00000")).map(MovedStagesTest::read))
          .anyMatch(text -> text.contains("io.nightjar.train.DenseFeatures"))
          .anyMatch(text -> text.contains("io.nightjar.train.estimators.PredictionOffset"));
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
