package io.nightjar.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.nightjar.TestSpark;
import io.nightjar.TestSpecs;
import io.nightjar.config.CandidateSpec;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.GridKey;
import io.nightjar.config.Loss;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Task;
import io.nightjar.data.Columns;
import io.nightjar.data.TrainingFrame;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.Predictions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.Bucketizer;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parity contract of docs/losses.md: for every family, engine and loss Nightjar trains, the
 * compiled row scorer answers what the batch {@code transform} answers on the same rows (to 1e-9
 * relative, 1e-12 absolute near 0), for rows with unseen levels, nulls, NaN, booleans and int,
 * bigint, float and string columns, read as Spark rows give them and as JSON gives them; without
 * starting a Spark job, from many threads at once. Each pipeline is fitted once, on 200 rows.
 */
class RowScorerParityTest {
  private static final List<String> FEATURES =
      List.of("x_double", "x_float", "x_int", "x_long", "flag", "segment", "code");
  private static final List<String> CATEGORICAL = List.of("segment", "code");
  private static final StructType RAW =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("id", DataTypes.LongType, false),
            DataTypes.createStructField("x_double", DataTypes.DoubleType, true),
            DataTypes.createStructField("x_float", DataTypes.FloatType, true),
            DataTypes.createStructField("x_int", DataTypes.IntegerType, true),
            DataTypes.createStructField("x_long", DataTypes.LongType, true),
            DataTypes.createStructField("flag", DataTypes.BooleanType, true),
            DataTypes.createStructField("segment", DataTypes.StringType, true),
            DataTypes.createStructField("code", DataTypes.IntegerType, true),
            DataTypes.createStructField("y", DataTypes.DoubleType, false),
            DataTypes.createStructField("w", DataTypes.DoubleType, false)
          });
  private static final Map<GridKey, Double> PARAMS =
      Map.of(GridKey.NUM_TREES, 5.0, GridKey.MAX_DEPTH, 3.0, GridKey.REG_PARAM, 0.1);

  /** One supported combination; {@code candidate} is its YAML. */
  record Case(String name, Task task, String candidate, boolean weighted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Case> CASES =
      List.of(
          new Case("linear squared", Task.REGRESSION, "{family: linear, loss: squared}", false),
          new Case(
              "linear squared weighted", Task.REGRESSION, "{family: linear, loss: squared}", true),
          new Case("linear absolute", Task.REGRESSION, "{family: linear, loss: absolute}", false),
          new Case("linear huber", Task.REGRESSION, "{family: linear, loss: huber}", false),
          new Case(
              "linear quantile",
              Task.REGRESSION,
              "{family: linear, loss: quantile, quantile: 0.8}",
              false),
          new Case(
              "linear logistic", Task.CLASSIFICATION, "{family: linear, loss: logistic}", false),
          new Case("linear hinge", Task.CLASSIFICATION, "{family: linear, loss: hinge}", false),
          new Case(
              "mllib squared",
              Task.REGRESSION,
              "{family: gbt, engine: mllib, loss: squared}",
              false),
          new Case(
              "mllib absolute",
              Task.REGRESSION,
              "{family: gbt, engine: mllib, loss: absolute}",
              false),
          new Case(
              "mllib logistic",
              Task.CLASSIFICATION,
              "{family: gbt, engine: mllib, loss: logistic}",
              false),
          new Case(
              "xgboost squared",
              Task.REGRESSION,
              "{family: gbt, engine: xgboost, loss: squared}",
              true),
          new Case(
              "xgboost absolute",
              Task.REGRESSION,
              "{family: gbt, engine: xgboost, loss: absolute}",
              false),
          new Case(
              "xgboost huber",
              Task.REGRESSION,
              "{family: gbt, engine: xgboost, loss: huber}",
              false),
          new Case(
              "xgboost quantile",
              Task.REGRESSION,
              "{family: gbt, engine: xgboost, loss: quantile, quantile: 0.8}",
              false),
          new Case(
              "xgboost logistic",
              Task.CLASSIFICATION,
              "{family: gbt, engine: xgboost, loss: logistic}",
              false),
          new Case(
              "xgboost hinge",
              Task.CLASSIFICATION,
              "{family: gbt, engine: xgboost, loss: hinge}",
              false));

  private static final Map<String, PipelineModel> FITTED = new ConcurrentHashMap<>();
  private static final AtomicInteger JOBS = new AtomicInteger();
  private static final SparkListener JOB_COUNTER =
      new SparkListener() {
        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
          JOBS.incrementAndGet();
        }
      };

  private static SparkSession spark;
  private static Dataset<Row> regressionRows;
  private static Dataset<Row> classificationRows;

  /** Rows scored both ways: training rows and rows with unseen levels and missing values. */
  private static List<Row> scoredRows;

  @BeforeAll
  static void data() throws Exception {
    spark = TestSpark.session();
    spark.sparkContext().addSparkListener(JOB_COUNTER);
    List<Row> training = rows(200, 11);
    Dataset<Row> raw = spark.createDataFrame(training, RAW).cache();
    Dataset<Row> shaped =
        TrainingFrame.withModelTypes(raw, FEATURES)
            .withColumn(Columns.WEIGHT, functions.col("w"))
            .withColumn(Columns.LABEL, functions.col("y"));
    regressionRows = shaped.cache();
    double median = training.stream().mapToDouble(row -> row.getDouble(8)).sorted().toArray()[100];
    classificationRows =
        shaped
            .withColumn(
                Columns.LABEL, functions.when(functions.col("y").gt(median), 1.0).otherwise(0.0))
            .cache();
    scoredRows = new ArrayList<>(training.subList(0, 60));
    scoredRows.addAll(edgeRows());
    fitAll();
  }

  /**
   * Fits every case once. The Spark ML fits are many small jobs, so four run at once; XGBoost's
   * fits follow one at a time, as each is a barrier stage that needs every task slot.
   */
  private static void fitAll() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Map<String, Future<PipelineModel>> fits = new LinkedHashMap<>();
      for (Case c : CASES) {
        if (!c.name().startsWith("xgboost")) {
          fits.put(c.name(), pool.submit(() -> fit(c)));
        }
      }
      for (Map.Entry<String, Future<PipelineModel>> fit : fits.entrySet()) {
        FITTED.put(fit.getKey(), fit.getValue().get());
      }
    } finally {
      pool.shutdown();
    }
    for (Case c : CASES) {
      if (c.name().startsWith("xgboost")) {
        FITTED.put(c.name(), fit(c));
      }
    }
  }

  @AfterAll
  static void removeListener() {
    spark.sparkContext().removeSparkListener(JOB_COUNTER);
  }

  /** Deterministic rows: some nulls and NaN, an uneven categorical, a signal in every feature. */
  private static List<Row> rows(int n, long seed) {
    Random random = new Random(seed);
    String[] segments = {"a", "a", "a", "b", "b", "c", "d"};
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Double xd = random.nextDouble() < 0.05 ? null : random.nextGaussian();
      if (xd != null && random.nextDouble() < 0.03) {
        xd = Double.NaN;
      }
      Float xf = random.nextDouble() < 0.05 ? null : (float) (random.nextDouble() * 10);
      Integer xi = random.nextDouble() < 0.05 ? null : random.nextInt(50);
      Long xl = random.nextDouble() < 0.05 ? null : 1_000_000L + random.nextInt(100_000) * 37L;
      Boolean flag = random.nextDouble() < 0.05 ? null : random.nextBoolean();
      String segment =
          random.nextDouble() < 0.05 ? null : segments[random.nextInt(segments.length)];
      Integer code = 1 + random.nextInt(5);
      double y =
          2 * value(xd)
              + 0.2 * value(xf)
              + 0.05 * value(xi)
              - 0.00001 * (value(xl) - 2_850_000)
              + (Boolean.TRUE.equals(flag) ? 1.5 : 0)
              + ("b".equals(segment) ? 2 : "c".equals(segment) ? -1 : 0)
              + 0.3 * code
              + random.nextGaussian();
      out.add(
          RowFactory.create(
              (long) i, xd, xf, xi, xl, flag, segment, code, y, 0.5 + random.nextDouble()));
    }
    return out;
  }

  private static double value(Number number) {
    return number == null || Double.isNaN(number.doubleValue()) ? 0 : number.doubleValue();
  }

  private static List<Row> edgeRows() {
    return List.of(
        RowFactory.create(1000L, null, null, null, null, null, null, null, 0.0, 1.0),
        RowFactory.create(1001L, 0.5, 2.5f, 7, 1_200_000L, true, "zzz", 99, 0.0, 1.0),
        RowFactory.create(1002L, Double.NaN, Float.NaN, 3, 1_100_000L, null, "b", 2, 0.0, 1.0),
        RowFactory.create(1003L, -1.25, 0.1f, null, null, false, "d", 5, 0.0, 1.0),
        RowFactory.create(1004L, 0.0, 0.0f, 0, 0L, false, "a", 1, 0.0, 1.0),
        RowFactory.create(1005L, 3.0, 9.9f, 49, 4_700_000L, true, null, 3, 0.0, 1.0));
  }

  static Stream<Arguments> cases() {
    return CASES.stream().map(Arguments::of);
  }

  private static Case named(String name) {
    return CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static PipelineModel fitted(Case c) {
    return FITTED.get(c.name());
  }

  private static CandidateSpec candidate(Case c) {
    ModelSpec spec =
        TestSpecs.oneCandidate("row_scorer", c.task().name().toLowerCase(), c.candidate());
    ModelFamilies.check(spec);
    return spec.candidates().get(0);
  }

  private static PipelineModel fit(Case c) {
    CandidateSpec candidate = candidate(c);
    ModelFamily family = ModelFamilies.of(candidate);
    List<PipelineStage> stages =
        new ArrayList<>(family.preparation(FeaturePlan.of(FEATURES, CATEGORICAL)));
    stages.add(family.estimator(c.task(), candidate, PARAMS, c.weighted()));
    Dataset<Row> rows = c.task() == Task.REGRESSION ? regressionRows : classificationRows;
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
  }

  /** The batch answers by id, as ScoreJob computes them. */
  private static Map<Long, Row> batch(PipelineModel model, Task task) {
    Dataset<Row> frame =
        TrainingFrame.withModelTypes(spark.createDataFrame(scoredRows, RAW), FEATURES);
    Dataset<Row> scored = Predictions.predict(model, task, frame);
    Dataset<Row> answers =
        task == Task.CLASSIFICATION
            ? scored.select("id", Columns.PREDICTION, Columns.PROBABILITY)
            : scored.select("id", Columns.PREDICTION);
    Map<Long, Row> out = new HashMap<>();
    for (Row row : answers.collectAsList()) {
      out.put(row.getLong(0), row);
    }
    return out;
  }

  /** A row's features as a Spark row gives them (Long, Integer, Double, Float, Boolean, String). */
  private static Map<String, Object> sparkValues(Row row) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String feature : FEATURES) {
      out.put(feature, row.get(RAW.fieldIndex(feature)));
    }
    return out;
  }

  /**
   * The same values as Jackson parses them from a request: small whole numbers as Integer, others
   * as BigDecimal, missing values as absent keys.
   */
  private static Map<String, Object> jsonValues(Row row) {
    Map<String, Object> out = new HashMap<>();
    sparkValues(row)
        .forEach(
            (feature, value) -> {
              if (value instanceof Long l && l == (int) (long) l) {
                out.put(feature, (int) (long) l);
              } else if (value instanceof Integer i) {
                out.put(feature, (long) i);
              } else if (value instanceof Double d && !d.isNaN()) {
                out.put(feature, BigDecimal.valueOf(d));
              } else if (value instanceof Float f && !f.isNaN()) {
                out.put(feature, (double) f);
              } else if (value != null) {
                out.put(feature, value);
              }
            });
    return out;
  }

  private static void assertClose(String what, double expected, double actual) {
    double tolerance = Math.max(1e-12, 1e-9 * Math.abs(expected));
    if (Double.isNaN(expected)) {
      assertThat(actual).as(what).isNaN();
    } else {
      assertThat(Math.abs(actual - expected))
          .as(what + ": " + actual + " vs " + expected)
          .isLessThanOrEqualTo(tolerance);
    }
  }

  /** Each row scored alone, as Spark and as JSON values, and all rows as one batch. */
  private static void assertSameAnswers(RowScorer scorer, Map<Long, Row> expected, Task task) {
    List<Map<String, Object>> batch = new ArrayList<>();
    for (Row row : scoredRows) {
      long id = row.getLong(0);
      for (Map<String, Object> values : List.of(sparkValues(row), jsonValues(row))) {
        assertSameAnswer(expected.get(id), scorer.score(values), id, task);
      }
      batch.add(jsonValues(row));
    }
    List<RowPrediction> scored = scorer.scoreAll(batch);
    assertThat(scored).hasSameSizeAs(scoredRows);
    for (int i = 0; i < scoredRows.size(); i++) {
      long id = scoredRows.get(i).getLong(0);
      assertSameAnswer(expected.get(id), scored.get(i), id, task);
    }
  }

  private static void assertSameAnswer(Row answer, RowPrediction online, long id, Task task) {
    assertClose("prediction of row " + id, answer.getDouble(1), online.prediction());
    if (task == Task.CLASSIFICATION) {
      assertClose("probability of row " + id, answer.getDouble(2), online.probability());
    } else {
      assertThat(online.probability()).isNull();
    }
  }

  private static void waitForListeners() throws Exception {
    spark.sparkContext().listenerBus().waitUntilEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rowScorerAnswersAsBatchTransformWithoutASparkJob(Case c) throws Exception {
    PipelineModel model = fitted(c);
    Map<Long, Row> expected = batch(model, c.task());
    RowScorer scorer = ModelFamilies.rowScorer(model, c.task(), RAW);
    assertThat(scorer.task()).isEqualTo(c.task());
    assertThat(scorer.inputs().stream().map(FeatureInput::name))
        .containsExactlyElementsOf(FEATURES);
    waitForListeners();
    int jobsBefore = JOBS.get();
    assertSameAnswers(scorer, expected, c.task());
    waitForListeners();
    assertThat(JOBS.get()).as("Spark jobs started while scoring rows").isEqualTo(jobsBefore);
  }

  @Test
  void theCasesAreEveryCombinationNightjarTrains() {
    Set<String> supported = new HashSet<>();
    for (Loss loss : Loss.values()) {
      String quantile = loss == Loss.QUANTILE ? ", quantile: 0.8" : "";
      String name = loss.name().toLowerCase();
      List<String> candidates =
          List.of(
              "{family: linear, loss: " + name + quantile + "}",
              "{family: gbt, engine: mllib, loss: " + name + quantile + "}",
              "{family: gbt, engine: xgboost, loss: " + name + quantile + "}");
      for (String candidate : candidates) {
        try {
          ModelFamilies.check(
              TestSpecs.oneCandidate("row_scorer", loss.task().name().toLowerCase(), candidate));
          supported.add(candidate);
        } catch (ConfigException e) {
          // Not a combination Nightjar trains.
        }
      }
    }
    assertThat(CASES.stream().map(Case::candidate).distinct())
        .containsExactlyInAnyOrderElementsOf(supported);
    assertThat(supported).hasSize(15);
    // A new family or engine must join the cases above.
    assertThat(Arrays.asList(Family.values())).containsExactly(Family.GBT, Family.LINEAR);
    assertThat(Arrays.asList(Engine.values())).containsExactly(Engine.XGBOOST, Engine.MLLIB);
  }

  @Test
  void manyThreadsGetTheSameAnswers() throws Exception {
    List<RowScorer> scorers = new ArrayList<>();
    List<Map<Long, Row>> expected = new ArrayList<>();
    List<Case> shared =
        List.of(
            named("xgboost quantile"),
            named("xgboost hinge"),
            named("mllib logistic"),
            named("linear squared"));
    for (Case c : shared) {
      PipelineModel model = fitted(c);
      expected.add(batch(model, c.task()));
      scorers.add(ModelFamilies.rowScorer(model, c.task(), RAW));
    }
    waitForListeners();
    int jobsBefore = JOBS.get();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int k = t % shared.size();
        runs.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 5; round++) {
                    assertSameAnswers(scorers.get(k), expected.get(k), shared.get(k).task());
                  }
                  return null;
                }));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdown();
    }
    waitForListeners();
    assertThat(JOBS.get()).isEqualTo(jobsBefore);
  }

  @Test
  void aSavedPipelineLoadsAndCompilesToTheSameAnswers(@TempDir Path dir) throws Exception {
    // XGBoost quantile: DenseFeatures, a nested pipeline and PredictionOffset, read back from disk.
    Case quantile = named("xgboost quantile");
    PipelineModel model = fitted(quantile);
    String path = dir.resolve("pipeline").toString();
    model.write().save(path);
    RowScorer scorer = ModelFamilies.rowScorer(PipelineModel.load(path), Task.REGRESSION, RAW);
    assertSameAnswers(scorer, batch(model, Task.REGRESSION), Task.REGRESSION);
  }

  /**
   * Settings Nightjar's pipelines do not use, but a loaded pipeline may: an indexer and an
   * assembler that drop invalid rows (skip), one-hot without dropping the last level. Every row the
   * batch keeps gets the same answer; every row it drops is a RowInputException.
   */
  @Test
  void rowsTheBatchDropsAreRefusedAndTheOthersAnswerTheSame() throws Exception {
    String indexed = "__segment_index";
    String encoded = "__segment_onehot";
    PipelineModel model =
        new Pipeline()
            .setStages(
                new PipelineStage[] {
                  new StringIndexer()
                      .setInputCol("segment")
                      .setOutputCol(indexed)
                      .setHandleInvalid("skip"),
                  new OneHotEncoder()
                      .setInputCols(new String[] {indexed})
                      .setOutputCols(new String[] {encoded})
                      .setDropLast(false),
                  new VectorAssembler()
                      .setInputCols(new String[] {"x_int", "x_double", encoded})
                      .setOutputCol(Columns.FEATURES)
                      .setHandleInvalid("skip"),
                  new LinearRegression()
                      .setFeaturesCol(Columns.FEATURES)
                      .setLabelCol(Columns.LABEL)
                      .setPredictionCol(Columns.PREDICTION)
                })
            .fit(regressionRows);
    Map<Long, Row> expected = batch(model, Task.REGRESSION);
    RowScorer scorer = RowScorers.compile(model, Task.REGRESSION, RAW, List.of());
    int refused = 0;
    for (Row row : scoredRows) {
      Row answer = expected.get(row.getLong(0));
      if (answer == null) {
        assertThatThrownBy(() -> scorer.score(sparkValues(row)))
            .isInstanceOf(RowInputException.class)
            .hasMessageContaining("drops such rows");
        refused++;
      } else {
        assertClose(
            "row " + row.getLong(0),
            answer.getDouble(1),
            scorer.score(sparkValues(row)).prediction());
      }
    }
    assertThat(refused).isGreaterThan(3);
    // In a batch, a refused row is named by its index and no row is answered.
    List<Map<String, Object>> batch = new ArrayList<>();
    Set<Integer> dropped = new HashSet<>();
    for (Row row : scoredRows) {
      if (!expected.containsKey(row.getLong(0))) {
        dropped.add(batch.size());
      }
      batch.add(sparkValues(row));
    }
    assertThatThrownBy(() -> scorer.scoreAll(batch))
        .isInstanceOfSatisfying(RowInputException.class, e -> assertThat(dropped).contains(e.row()))
        .hasMessageContaining("drops such rows");
  }

  @Test
  void aStageTheScorerDoesNotKnowIsRefusedAtCompileByClassAndUid() {
    PipelineModel model = fitted(named("linear squared"));
    Bucketizer bucketizer =
        new Bucketizer()
            .setInputCol("x_double")
            .setOutputCol("x_bucket")
            .setSplits(new double[] {Double.NEGATIVE_INFINITY, 0, Double.POSITIVE_INFINITY});
    SQLTransformer custom = new SQLTransformer().setStatement("SELECT * FROM __THIS__");
    for (Transformer extra : List.<Transformer>of(bucketizer, custom)) {
      List<Transformer> stages = new ArrayList<>(List.of(extra));
      stages.addAll(List.of(model.stages()));
      PipelineModel withExtra = new PipelineModel("pipeline_with_extra", stages);
      assertThatThrownBy(() -> ModelFamilies.rowScorer(withExtra, Task.REGRESSION, RAW))
          .isInstanceOf(UnsupportedStageException.class)
          .hasMessageStartingWith(
              "Cannot score stage "
                  + extra.getClass().getName()
                  + " (uid "
                  + extra.uid()
                  + ") online: the row scorer does not know this stage.");
    }
  }

  @Test
  void aDecimalFeatureIsRefusedAtCompileByName() {
    StructType decimal = replace(RAW, "x_double", DataTypes.createDecimalType(10, 2));
    assertThatThrownBy(
            () ->
                ModelFamilies.rowScorer(fitted(named("xgboost squared")), Task.REGRESSION, decimal))
        .isInstanceOf(UnsupportedStageException.class)
        .hasMessageStartingWith(
            "Cannot score feature 'x_double' online: its column type is decimal(10,2);");
    // A column the pipeline does not read may have any type.
    RowScorer scorer =
        ModelFamilies.rowScorer(
            fitted(named("linear squared")), Task.REGRESSION, RAW.add("day", DataTypes.DateType));
    assertThat(scorer.inputs()).hasSize(FEATURES.size());
  }

  private static StructType replace(StructType schema, String name, DataType type) {
    StructField[] fields = schema.fields().clone();
    int at = schema.fieldIndex(name);
    fields[at] = DataTypes.createStructField(name, type, true);
    return new StructType(fields);
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedNamingTheFeature() {
    RowScorer scorer =
        ModelFamilies.rowScorer(fitted(named("xgboost squared")), Task.REGRESSION, RAW);
    Map<String, Object> values = jsonValues(scoredRows.get(0));
    values.put("x_double", "1.5");
    RowInputException text = refusal(scorer, values);
    assertThat(text)
        .hasMessage(
            "Invalid value for feature 'x_double': '1.5' (String); it is a double column, so use a"
                + " number, or null for a missing value.");
    assertThat(text.feature()).isEqualTo("x_double");
    values.put("x_double", 1.5);
    values.put("x_int", 2.5);
    assertThat(refusal(scorer, values))
        .hasMessage(
            "Invalid value for feature 'x_int': 2.5 (Double); it is a int column, so use a whole"
                + " number that fits a int column, or null for a missing value.");
    values.put("x_int", 3_000_000_000L);
    assertThat(refusal(scorer, values).feature()).isEqualTo("x_int");
    values.put("x_int", 3);
    values.put("flag", 1);
    assertThat(refusal(scorer, values))
        .hasMessageContaining("feature 'flag'")
        .hasMessageContaining("true or false");
    values.put("flag", true);
    values.put("segment", 4);
    assertThat(refusal(scorer, values))
        .hasMessageContaining("feature 'segment'")
        .hasMessageContaining("text");
  }

  /** What scoring {@code values} throws, asserted to be a {@link RowInputException}. */
  private static RowInputException refusal(RowScorer scorer, Map<String, Object> values) {
    Throwable thrown = catchThrowable(() -> scorer.score(values));
    assertThat(thrown).isInstanceOf(RowInputException.class);
    return (RowInputException) thrown;
  }
}
