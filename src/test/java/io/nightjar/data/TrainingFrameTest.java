package io.nightjar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.ModelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrainingFrameTest {
  private static final StructType SCHEMA =
      StructType.fromDDL("id BIGINT, x DOUBLE, city STRING, flag BOOLEAN, y DOUBLE, w DOUBLE");

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

  /** Rows with ids 1, 2, ... of the same features (0.5, a, true; weight 1) and {@code labels}. */
  private static Object[][] labelled(double... labels) {
    return IntStream.range(0, labels.length)
        .mapToObj(i -> new Object[] {i + 1L, 0.5, "a", true, labels[i], 1.0})
        .toArray(Object[][]::new);
  }

  /** Asserts that preparing {@code rows} for {@code spec} is a data error with {@code message}. */
  private static void assertRefused(ModelSpec spec, String message, Object[]... rows) {
    assertThatThrownBy(() -> TrainingFrame.prepare(spec, rows(rows)))
        .isInstanceOf(DataException.class)
        .hasMessage(message);
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
  void badLabelsAreCounted() {
    assertRefused(
        regression(),
        "Cannot train model 'frame_test': label column 'y' has 1 null values.",
        new Object[] {1L, 0.5, "a", true, null, 1.0});
    assertRefused(
        regression(),
        "Cannot train model 'frame_test': label column 'y' has 1 NaN values.",
        new Object[] {1L, 0.5, "a", true, Double.NaN, 1.0});
    assertRefused(
        regression(),
        "Cannot train model 'frame_test': label column 'y' has 1 infinite values.",
        new Object[] {1L, 0.5, "a", true, Double.POSITIVE_INFINITY, 1.0});
  }

  @Test
  void infiniteFeaturesEmptyDataAndNullIdsAreRefused() {
    assertRefused(
        regression(),
        "Cannot train model 'frame_test': feature column 'x' has 1 infinite values; use null for a missing value.",
        new Object[] {1L, Double.NEGATIVE_INFINITY, "a", true, 1.0, 1.0});
    assertRefused(
        regression(), "Cannot train model 'frame_test': data.training (nightjar.t) has no rows.");
    assertRefused(
        regression(),
        "Cannot train model 'frame_test': id column 'id' has 1 null values.",
        new Object[] {null, 1.0, "a", true, 1.0, 1.0});
  }

  @Test
  void classificationLabelsMustBeTwoClasses() {
    ModelSpec spec = spec("classification", "logistic", "  categorical: [city]");
    assertRefused(
        spec,
        "Cannot train model 'frame_test': label column 'y' has a single class (2 positive, 0 negative rows);"
            + " classification needs both.",
        labelled(1.0, 1.0));
    assertRefused(
        spec,
        "Cannot train model 'frame_test': label column 'y' has 1 values outside {0, 1}; set data.positive to the"
            + " value of the positive class.",
        labelled(2.0, 0.0));
    ModelSpec positive =
        spec("classification", "logistic", "  positive: '2.0'\n  categorical: [city]");
    TrainingFrame frame = TrainingFrame.prepare(positive, rows(labelled(2.0, 7.0)));
    List<Double> labels =
        frame.rows().orderBy("id").select(Columns.LABEL).as(Encoders.DOUBLE()).collectAsList();
    assertThat(labels).containsExactly(1.0, 0.0);
  }

  /** A regression spec's data section, and the message with which it refuses one row. */
  static Stream<Arguments> columnsTheDataSectionNames() {
    return Stream.of(
        arguments(
            "a missing column is named with the columns that exist",
            "  features: [x, size]",
            "Cannot train model 'frame_test': column 'size' (data.features) is not in the data; its columns are: id,"
                + " x, city, flag, y, w.",
            new Object[] {1L, 0.5, "a", true, 2.0, 1.0}),
        arguments(
            "negative weights are refused",
            "  weight: w\n  categorical: [city]",
            "Cannot train model 'frame_test': weight column 'w' has 1 null, NaN, infinite or negative values; weights"
                + " must be numbers >= 0.",
            new Object[] {1L, 0.5, "a", true, 1.0, -1.0}),
        arguments(
            "string features must be categorical",
            "  features: [x, city]",
            "Cannot train model 'frame_test': feature column 'city' has type string (its value 'a' is not a number);"
                + " features must be numeric or boolean, or strings listed in data.categorical.",
            new Object[] {1L, 0.5, "a", true, 1.0, 1.0}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("columnsTheDataSectionNames")
  void aColumnTheDataSectionNamesIsCheckedInTheRows(
      String rule, String data, String message, Object[] row) {
    assertRefused(spec("regression", "squared", data), message, row);
  }
}
