package io.nightjar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.nightjar.TestDatabase;
import io.nightjar.TestSpecs;
import io.nightjar.cli.ExitCodes;
import io.nightjar.config.ConfigException;
import io.nightjar.config.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data errors name the real problem whatever the source kind: the same bad rows in a Delta table, a
 * CSV path (header, inferred types) and a Parquet path give the same message and exit code 3, and
 * an empty source is refused as empty before its (uninferable) types are looked at. Validation runs
 * before any fit, so these cost a few small jobs each.
 */
class SourceDataErrorsTest {
  private static final String DB = "source_errors_test";
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "id BIGINT, x DOUBLE, y DOUBLE, y_nan DOUBLE, one_class INT, w_bad DOUBLE");

  @RegisterExtension static final TestDatabase db = new TestDatabase(DB);

  enum Source {
    DELTA,
    CSV,
    PARQUET
  }

  @BeforeAll
  static void writeSources() throws Exception {
    Dataset<Row> rows =
        db.spark()
            .createDataFrame(
                List.of(
                    RowFactory.create(1L, 0.5, 1.0, 1.0, 1, 1.0),
                    RowFactory.create(2L, 1.5, 2.0, Double.NaN, 1, -1.0),
                    RowFactory.create(3L, 2.5, 3.0, 3.0, 1, 1.0)),
                SCHEMA);
    write(rows, "rows");
    write(db.spark().createDataFrame(List.of(), SCHEMA), "empty");
    // What a user's export with no data lines looks like: the header alone.
    Files.createDirectories(Path.of(path(Source.CSV, "empty")));
    Files.writeString(
        Path.of(path(Source.CSV, "empty"), "part-0.csv"), "id,x,y,y_nan,one_class,w_bad\n");
    // A CSV whose columns Spark infers as strings, each for another reason.
    Files.writeString(
        Files.createDirectories(db.dir().resolve("typed")).resolve("part-0.csv"),
        """
        id,x,z,blank,y,v,w,day
        1,0.5,1,,1.5,1.5,1,05/01/2024
        2,n/a,2,,2.5,2.5,heavy,05/02/2024
        3,1.5,3,,?,3.5,1,05/03/2024
        """);
  }

  private static void write(Dataset<Row> rows, String name) {
    db.write(name, rows, "overwrite");
    if (!name.equals("empty")) {
      rows.write().option("header", "true").csv(path(Source.CSV, name));
    }
    rows.write().parquet(path(Source.PARQUET, name));
  }

  private static String path(Source source, String name) {
    return db.dir().resolve(source.name().toLowerCase() + "_" + name).toString();
  }

  private static String training(Source source, String name) {
    return source == Source.DELTA
        ? "{table: %s.%s}".formatted(DB, name)
        : "{path: '%s', format: %s}".formatted(path(source, name), source.name().toLowerCase());
  }

  private static String describe(Source source, String name) {
    return source == Source.DELTA
        ? DB + "." + name
        : source.name().toLowerCase() + ":" + path(source, name);
  }

  private static ModelSpec spec(String task, String training, String data) {
    return TestSpecs.parse(
        """
        name: errors
        task: %s
        data: {training: %s, id: id, %s}
        candidates: [{family: linear, loss: %s}]
        """
            .formatted(task, training, data, task.equals("regression") ? "squared" : "logistic"),
        DB);
  }

  /**
   * The error {@code spec} gets from reading and preparing its training source; asserts it is a
   * data error.
   */
  private static String dataError(ModelSpec spec) {
    Throwable thrown =
        catchThrowable(
            () -> {
              SourceSnapshot source =
                  new SourceReader(db.spark()).read("data.training", spec.data().training());
              TrainingFrame.prepare(spec, source.rows());
            });
    assertThat(thrown).isInstanceOf(DataException.class);
    assertThat(ExitCodes.of(thrown)).isEqualTo(ExitCodes.DATA);
    return thrown.getMessage();
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void anEmptySourceIsRefusedAsEmptyBeforeItsTypes(Source source) {
    ModelSpec spec = spec("regression", training(source, "empty"), "label: y, features: [x]");
    assertThat(dataError(spec))
        .isEqualTo(
            "Cannot train model 'errors': data.training (%s) has no rows.",
            describe(source, "empty"));
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void badRowsGiveTheSameErrorFromEverySourceKind(Source source) {
    String rows = training(source, "rows");
    assertThat(dataError(spec("regression", rows, "label: y, features: [x, size]")))
        .isEqualTo(
            "Cannot train model 'errors': column 'size' (data.features) is not in the data; its columns are:"
                + " id, x, y, y_nan, one_class, w_bad.");
    assertThat(dataError(spec("regression", rows, "label: y_nan, features: [x]")))
        .isEqualTo("Cannot train model 'errors': label column 'y_nan' has 1 NaN values.");
    assertThat(dataError(spec("classification", rows, "label: one_class, features: [x]")))
        .isEqualTo(
            "Cannot train model 'errors': label column 'one_class' has a single class (3 positive, 0 negative"
                + " rows); classification needs both.");
    assertThat(dataError(spec("regression", rows, "label: y, weight: w_bad, features: [x]")))
        .isEqualTo(
            "Cannot train model 'errors': weight column 'w_bad' has 1 null, NaN, infinite or negative values;"
                + " weights must be numbers >= 0.");
  }

  /** The data section of a spec on the typed CSV and the error it gets. */
  static Stream<Arguments> csvValuesThatAreNotNumbers() {
    return Stream.of(
        arguments(
            "label: y, features: [x]",
            "Cannot train model 'errors': feature column 'x' has type string (its value 'n/a' is not a number);"
                + " features must be numeric or boolean, or strings listed in data.categorical."),
        arguments(
            "label: y, features: [blank]",
            "Cannot train model 'errors': feature column 'blank' has type string (it has no values, so its type"
                + " could not be inferred); features must be numeric or boolean, or strings listed in data.categorical."),
        arguments(
            "label: y, features: [z]",
            "Cannot train model 'errors': label column 'y' has type string and its value '?' is not a number;"
                + " a regression label must be numeric."),
        arguments(
            "label: v, weight: w, features: [z]",
            "Cannot train model 'errors': weight column 'w' has type string and its value 'heavy' is not a"
                + " number; weights must be numbers >= 0."),
        arguments(
            "label: v, time: day, features: [z]",
            "Cannot train model 'errors': time column 'day' (data.time) has type string (e.g. '05/01/2024'); it"
                + " must be a date, a timestamp or a number. A CSV source infers timestamps written like 2024-05-01"
                + " 10:00:00 and dates like 2024-05-01; for another format, set the source's timestampFormat or"
                + " dateFormat option."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("csvValuesThatAreNotNumbers")
  void aCsvValueThatIsNotANumberIsQuoted(String data, String message) {
    String training = "{path: '%s', format: csv}".formatted(db.dir().resolve("typed"));
    assertThat(dataError(spec("regression", training, data))).isEqualTo(message);
  }

  @Test
  void aPathWithNoFilesIsADataErrorAndAMissingPathAConfigError() throws Exception {
    Path empty = Files.createDirectories(db.dir().resolve("no_files"));
    ModelSpec spec =
        spec("regression", "{path: '%s', format: parquet}".formatted(empty), "label: y");
    assertThat(dataError(spec))
        .isEqualTo(
            "Cannot read parquet:%s (data.training): it has no parquet files, so no rows."
                .formatted(empty));
    ModelSpec missing =
        spec(
            "regression",
            "{path: '%s', format: csv}".formatted(db.dir().resolve("nowhere")),
            "label: y");
    Throwable thrown =
        catchThrowable(
            () -> new SourceReader(db.spark()).read("data.training", missing.data().training()));
    assertThat(thrown)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "Invalid value for 'data.training': path '%s' does not exist.",
            db.dir().resolve("nowhere"));
  }
}
