package io.nightjar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingFrameTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", DataTypes.LongType)
          .add("x", DataTypes.DoubleType)
          .add("city", DataTypes.StringType)
          .add("flag", DataTypes.BooleanType)
          .add("y", DataTypes.DoubleType)
          .add("w", DataTypes.DoubleType);

  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.session();
  }

  private static ModelSpec spec(String task, String loss, String extraData) {
    return TestSpecs.parse(
        """
        name: frame_test
        task: %s
        data:
          training: {table: t}
          id: id
          label: y
        %s
        candidates: [{family: linear, loss: %s}]
        """
            .formatted(task, extraData, loss),
        "nightjar");
  }

  private static ModelSpec regression() {
    return spec("regression", "squared", "  categorical: [city]");
  }

  private static Dataset<Row> rows(Object[]... rows) {
    return spark.createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
  }

  @Test
  void goodRowsAreShapedForTraining() {
    TrainingFrame frame =
        TrainingFrame.prepare(
            regression(),
            rows(
                new Object[] {1L, 0.5, "a", true, 2.0, 1.0},
                new Object[] {2L, null, "b", false, 3.0, 1.0}));
    assertThat(frame.features()).containsExactly("x", "city", "flag", "w");
    assertThat(frame.categorical()).containsExactly("city");
    assertThat(frame.rowCount()).isEqualTo(2);
    assertThat(frame.rows().columns())
        .containsExactly("id", "x", "city", "flag", "w", Columns.LABEL);
    assertThat(frame.rows().schema().apply("flag").dataType()).isEqualTo(DataTypes.DoubleType);
  }

  @Test
  void aMissingColumnIsNamedWithTheColumnsThatExist() {
    ModelSpec spec = spec("regression", "squared", "  features: [x, size]");
    assertThatThrownBy(
            () -> TrainingFrame.prepare(spec, rows(new Object[] {1L, 0.5, "a", true, 2.0, 1.0})))
        .isInstanceOf(DataException.class)
        .hasMessage(
            "Cannot train model 'frame_test': column 'size' (data.features) is not in the data; its columns are: id,"
                + " x, city, flag, y, w.");
  }

  @Test
  void badLabelsAreCounted() {
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    regression(), rows(new Object[] {1L, 0.5, "a", true, null, 1.0})))
        .hasMessage("Cannot train model 'frame_test': label column 'y' has 1 null values.");
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    regression(), rows(new Object[] {1L, 0.5, "a", true, Double.NaN, 1.0})))
        .hasMessage("Cannot train model 'frame_test': label column 'y' has 1 NaN values.");
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    regression(),
                    rows(new Object[] {1L, 0.5, "a", true, Double.POSITIVE_INFINITY, 1.0})))
        .hasMessage("Cannot train model 'frame_test': label column 'y' has 1 infinite values.");
  }

  @Test
  void infiniteFeaturesEmptyDataAndNullIdsAreRefused() {
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    regression(),
                    rows(new Object[] {1L, Double.NEGATIVE_INFINITY, "a", true, 1.0, 1.0})))
        .hasMessage(
            "Cannot train model 'frame_test': feature column 'x' has 1 infinite values; use null for a missing value.");
    assertThatThrownBy(() -> TrainingFrame.prepare(regression(), rows()))
        .hasMessage("Cannot train model 'frame_test': data.training (nightjar.t) has no rows.");
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    regression(), rows(new Object[] {null, 1.0, "a", true, 1.0, 1.0})))
        .hasMessage("Cannot train model 'frame_test': id column 'id' has 1 null values.");
  }

  @Test
  void classificationLabelsMustBeTwoClasses() {
    ModelSpec spec = spec("classification", "logistic", "  categorical: [city]");
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    spec,
                    rows(
                        new Object[] {1L, 0.5, "a", true, 1.0, 1.0},
                        new Object[] {2L, 0.5, "a", true, 1.0, 1.0})))
        .hasMessage(
            "Cannot train model 'frame_test': label column 'y' has a single class (2 positive, 0 negative rows);"
                + " classification needs both.");
    assertThatThrownBy(
            () ->
                TrainingFrame.prepare(
                    spec,
                    rows(
                        new Object[] {1L, 0.5, "a", true, 2.0, 1.0},
                        new Object[] {2L, 0.5, "a", true, 0.0, 1.0})))
        .hasMessage(
            "Cannot train model 'frame_test': label column 'y' has 1 values outside {0, 1}; set data.positive to the"
                + " value of the positive class.");
    ModelSpec positive =
        spec("classification", "logistic", "  positive: '2.0'\n  categorical: [city]");
    TrainingFrame frame =
        TrainingFrame.prepare(
            positive,
            rows(
                new Object[] {1L, 0.5, "a", true, 2.0, 1.0},
                new Object[] {2L, 0.5, "a", true, 7.0, 1.0}));
    List<Double> labels =
        frame.rows().orderBy("id").select(Columns.LABEL).as(Encoders.DOUBLE()).collectAsList();
    assertThat(labels).containsExactly(1.0, 0.0);
  }

  @Test
  void negativeWeightsAreRefused() {
    ModelSpec spec = spec("regression", "squared", "  weight: w\n  categorical: [city]");
    assertThatThrownBy(
            () -> TrainingFrame.prepare(spec, rows(new Object[] {1L, 0.5, "a", true, 1.0, -1.0})))
        .hasMessage(
            "Cannot train model 'frame_test': weight column 'w' has 1 null, NaN, infinite or negative values; weights"
                + " must be numbers >= 0.");
  }

  @Test
  void stringFeaturesMustBeCategorical() {
    ModelSpec spec = spec("regression", "squared", "  features: [x, city]");
    assertThatThrownBy(
            () -> TrainingFrame.prepare(spec, rows(new Object[] {1L, 0.5, "a", true, 1.0, 1.0})))
        .hasMessage(
            "Cannot train model 'frame_test': feature column 'city' has type string (its value 'a' is not a number);"
                + " features must be numeric or boolean, or strings listed in data.categorical.");
  }
}
