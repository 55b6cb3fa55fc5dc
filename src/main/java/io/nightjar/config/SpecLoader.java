package io.nightjar.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads model specs (keys in docs/configuration.md) strictly: unknown keys, wrong types,
 * out-of-range values and impossible combinations are {@link ConfigException}s naming the key path.
 * Thread-safe.
 */
public final class SpecLoader {
  // A key written twice is an error, not "the last one wins".
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

  private SpecLoader() {}

  /** Reads and validates the spec file at {@code file}. */
  public static ModelSpec load(Path file, String defaultDatabase) {
    ConfigException.check(
        Files.isRegularFile(file), "Cannot read model spec '%s': no such file.", file);
    try {
      return parse(
          Files.readString(file, StandardCharsets.UTF_8), file.toString(), defaultDatabase);
    } catch (IOException e) {
      throw new ConfigException(
          String.format("Cannot read model spec '%s': %s.", file, e.getMessage()), e);
    }
  }

  /** Parses and validates spec text; {@code origin} names it in errors. */
  public static ModelSpec parse(String yaml, String origin, String defaultDatabase) {
    ConfigNode root = ConfigNode.root(readTree(yaml, origin), "model spec '" + origin + "'");
    root.allowOnly(
        "name",
        "task",
        "owner",
        "data",
        "candidates",
        "tuning",
        "promotion",
        "scoring",
        "monitoring",
        "nightly",
        "serving");
    String name = Identifiers.modelName("name", root.requiredString("name"));
    Task task = root.choice("task", Task.class, null);
    if (task == null) {
      throw ConfigErrors.missingChoice("task", Choices.valid(Task.class));
    }
    DataSpec data = data(root.requiredChild("data"), task, defaultDatabase);
    List<CandidateSpec> candidates = candidates(root, task);
    TuningSpec tuning = tuning(root.child("tuning"), root.pathOf("tuning"), task, candidates);
    ConfigNode promotion = root.child("promotion");
    double minImprovement = 0.0;
    if (promotion != null) {
      promotion.allowOnly("min_improvement");
      minImprovement = promotion.number("min_improvement", 0.0, v -> v >= 0 && v < 1, "in [0, 1)");
    }
    ScoringSpec scoring = scoring(root.child("scoring"), defaultDatabase);
    MonitoringSpec monitoring = monitoring(root.child("monitoring"), defaultDatabase);
    NightlySpec nightly = nightly(root.child("nightly"));
    ServingSpec serving = serving(root.child("serving"), scoring, defaultDatabase);
    return new ModelSpec(
        name,
        task,
        root.string("owner", null),
        data,
        candidates,
        tuning,
        minImprovement,
        scoring,
        monitoring,
        nightly,
        serving,
        yaml,
        sha256(yaml));
  }

  /**
   * Parses YAML text into a tree, turning syntax errors into a config error naming the origin and
   * line.
   */
  public static JsonNode readTree(String yaml, String origin) {
    try {
      JsonNode tree = YAML.readTree(yaml);
      ConfigException.check(tree != null, "Invalid YAML in '%s': the file is empty.", origin);
      return tree;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          String.format("Invalid YAML in '%s'%s: %s.", origin, where, e.getOriginalMessage()), e);
    }
  }

  private static DataSpec data(ConfigNode data, Task task, String defaultDatabase) {
    data.allowOnly(
        "training", "id", "label", "weight", "positive", "features", "categorical", "time");
    SourceSpec training = source(data.requiredChild("training"), defaultDatabase);
    String id = column(data, "id", true);
    String label = column(data, "label", true);
    String weight = column(data, "weight", false);
    String time = column(data, "time", false);
    String positive = data.string("positive", null);
    ConfigException.check(
        positive == null || task == Task.CLASSIFICATION,
        "Invalid key '%s': 'positive' applies only to task classification.",
        data.pathOf("positive"));
    List<String> features = columns(data, "features");
    List<String> categorical = columns(data, "categorical");
    Set<String> roles = new LinkedHashSet<>(List.of(id, label));
    ConfigException.check(
        roles.size() == 2,
        "Invalid '%s': the id and label must be different columns.",
        data.pathOf("label"));
    for (String feature : features) {
      ConfigException.check(
          !feature.equals(id) && !feature.equals(label) && !feature.equals(weight),
          "Invalid '%s': '%s' is the id, label or weight column and cannot be a feature.",
          data.pathOf("features"),
          feature);
    }
    ConfigException.check(
        new LinkedHashSet<>(features).size() == features.size(),
        "Invalid '%s': a column is listed twice.",
        data.pathOf("features"));
    for (String column : categorical) {
      ConfigException.check(
          features.isEmpty() || features.contains(column),
          "Invalid '%s': '%s' is not in 'data.features'.",
          data.pathOf("categorical"),
          column);
    }
    return new DataSpec(training, id, label, weight, positive, features, categorical, time);
  }

  private static String column(ConfigNode node, String key, boolean required) {
    String value = required ? node.requiredString(key) : node.string(key, null);
    return value == null ? null : Identifiers.sqlName(node.pathOf(key), value);
  }

  private static List<String> columns(ConfigNode node, String key) {
    List<String> out = new ArrayList<>();
    for (String value : node.strings(key)) {
      out.add(Identifiers.sqlName(node.pathOf(key), value));
    }
    return out;
  }

  /**
   * Reads a data source: {@code {table: db.name}} or {@code {path: URI, format: ..., options:
   * {...}}}.
   */
  public static SourceSpec source(ConfigNode node, String defaultDatabase) {
    node.allowOnly("table", "path", "format", "options");
    boolean hasTable = node.has("table");
    boolean hasPath = node.has("path");
    ConfigException.check(
        hasTable != hasPath,
        "Invalid source '%s': give either 'table' (a catalog table) or 'path' with 'format', not"
            + " %s.",
        node.pathOf("").replaceAll("\\.$", ""),
        hasTable ? "both" : "neither");
    if (hasTable) {
      ConfigException.check(
          !node.has("format") && !node.has("options"),
          "Invalid source '%s': 'format' and 'options' apply only to a 'path' source.",
          node.pathOf("table"));
      return SourceSpec.table(
          TableName.parse(node.pathOf("table"), node.requiredString("table"), defaultDatabase));
    }
    String format = node.string("format", "delta");
    ConfigException.check(
        Set.of("delta", "parquet", "csv").contains(format),
        "Invalid value for '%s': '%s'. Valid values: delta, parquet, csv.",
        node.pathOf("format"),
        format);
    return new SourceSpec(null, node.requiredString("path"), format, node.stringMap("options"));
  }

  private static List<CandidateSpec> candidates(ConfigNode root, Task task) {
    JsonNode list = root.raw("candidates");
    ConfigException.check(
        list != null && list.isArray() && list.size() > 0,
        "Missing required key 'candidates': give a list of at least one {family, loss, grid}.");
    List<CandidateSpec> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      out.add(candidate(ConfigNode.at(list.get(i), "candidates[" + i + "]"), task));
    }
    return out;
  }

  private static CandidateSpec candidate(ConfigNode node, Task task) {
    node.allowOnly("family", "engine", "loss", "quantile", "grid");
    Family family = node.choice("family", Family.class, null);
    if (family == null) {
      throw ConfigErrors.missingChoice(node.pathOf("family"), Choices.valid(Family.class));
    }
    Engine engine = node.choice("engine", Engine.class, null);
    ConfigException.check(
        engine == null || family == Family.GBT,
        "Invalid key '%s': 'engine' applies only to family gbt.",
        node.pathOf("engine"));
    if (family == Family.GBT && engine == null) {
      engine = Engine.XGBOOST;
    }
    Loss loss = node.choice("loss", Loss.class, null);
    if (loss == null) {
      throw ConfigErrors.missingChoice(node.pathOf("loss"), Choices.valid(Loss.class));
    }
    checkTask(
        node,
        "loss",
        loss,
        loss.task(),
        task,
        "Invalid value for '%s': '%s' is a %s loss but the task is %s.");
    Double quantile = null;
    if (loss == Loss.QUANTILE) {
      ConfigException.check(
          node.has("quantile"),
          "Missing required key '%s' for loss quantile: a number in (0, 1).",
          node.pathOf("quantile"));
      quantile = node.number("quantile", 0.5, v -> v > 0 && v < 1, "in (0, 1)");
    } else {
      ConfigException.check(
          !node.has("quantile"),
          "Invalid key '%s': 'quantile' applies only to loss quantile.",
          node.pathOf("quantile"));
    }
    return grid(node, family, engine, loss, quantile);
  }

  private static CandidateSpec grid(
      ConfigNode node, Family family, Engine engine, Loss loss, Double quantile) {
    ConfigNode grid = node.child("grid");
    Map<GridKey, List<Double>> lists = new LinkedHashMap<>();
    Map<GridKey, GridRange> ranges = new LinkedHashMap<>();
    if (grid != null) {
      GridKey.Target target = GridKey.Target.of(family, engine);
      for (String key : grid.keys()) {
        GridKey gridKey = gridKey(grid.pathOf(key), key);
        ConfigException.check(
            gridKey.usableBy(target),
            "Invalid grid key '%s': family %s%s cannot use '%s'.",
            grid.pathOf(key),
            Choices.name(family),
            engine == null ? "" : " with engine " + Choices.name(engine),
            key);
        ConfigException.check(
            gridKey != GridKey.EPSILON || loss == Loss.HUBER,
            "Invalid grid key '%s': 'epsilon' applies only to loss huber.",
            grid.pathOf(key));
        if (grid.raw(key).isObject()) {
          ranges.put(gridKey, gridRange(grid.raw(key), grid.pathOf(key), gridKey));
        } else {
          lists.put(gridKey, gridValues(grid, key, gridKey));
        }
      }
    }
    return new CandidateSpec(family, engine, loss, quantile, lists, ranges);
  }

  private static GridKey gridKey(String path, String key) {
    for (GridKey candidate : GridKey.values()) {
      if (candidate.key().equals(key)) {
        return candidate;
      }
    }
    throw new ConfigException(
        String.format(
            "Unknown grid key '%s'. Valid grid keys: %s.", path, Choices.valid(GridKey.class)));
  }

  private static List<Double> gridValues(ConfigNode grid, String key, GridKey gridKey) {
    JsonNode values = grid.raw(key);
    ConfigException.check(
        values.isArray() && values.size() > 0,
        "Invalid value for '%s': every grid value is a non-empty list, e.g. [%s], or a range"
            + " {min, max, scale}.",
        grid.pathOf(key),
        values.asText().isEmpty() ? "1" : values.asText());
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      JsonNode value = values.get(i);
      ConfigException.check(
          value.isNumber() && gridKey.accepts(value.asDouble()),
          "Invalid value for '%s[%d]': '%s'. Expected %s.",
          grid.pathOf(key),
          i,
          value.asText(),
          gridKey.range());
      out.add(value.asDouble());
    }
    return List.copyOf(out);
  }

  /** A grid key given as {@code {min, max, scale: log|linear}}. */
  private static GridRange gridRange(JsonNode raw, String path, GridKey gridKey) {
    ConfigNode range = ConfigNode.at(raw, path);
    range.allowOnly("min", "max", "scale");
    double min = rangeBound(range, "min", gridKey);
    double max = rangeBound(range, "max", gridKey);
    if (!(min < max)) {
      throw ConfigErrors.emptyRange(path, min, max);
    }
    GridRange.Scale scale = range.choice("scale", GridRange.Scale.class, GridRange.Scale.LINEAR);
    if (scale == GridRange.Scale.LOG && min <= 0) {
      throw ConfigErrors.logRangeFromZero(range.pathOf("min"), min);
    }
    return new GridRange(min, max, scale, gridKey.whole());
  }

  private static double rangeBound(ConfigNode range, String bound, GridKey gridKey) {
    if (!range.has(bound)) {
      throw ConfigErrors.missingKey(range.pathOf(bound));
    }
    JsonNode value = range.raw(bound);
    if (!value.isNumber() || !gridKey.accepts(value.asDouble())) {
      throw ConfigErrors.invalidGridValue(range.pathOf(bound), value.asText(), gridKey.range());
    }
    return value.asDouble();
  }

  /** A range is drawn from, so only a search that samples can use one. */
  private static void requireSampledRanges(
      Search search, List<CandidateSpec> candidates, String searchPath) {
    if (search != Search.GRID) {
      return;
    }
    for (int i = 0; i < candidates.size(); i++) {
      for (GridKey key : candidates.get(i).ranges().keySet()) {
        throw ConfigErrors.rangeNeedsSampling(
            "candidates[" + i + "].grid." + key.key(), searchPath);
      }
    }
  }

  /**
   * Checks that the choice under {@code key}, which fits {@code fits}, fits the spec's {@code
   * task}; {@code format} takes the key's path, the choice, its task and the spec's task.
   */
  private static void checkTask(
      ConfigNode node, String key, Enum<?> choice, Task fits, Task task, String format) {
    ConfigException.check(
        fits == task,
        format,
        node.pathOf(key),
        Choices.name(choice),
        Choices.name(fits),
        Choices.name(task));
  }

  private static TuningSpec tuning(
      ConfigNode node, String path, Task task, List<CandidateSpec> candidates) {
    Metric fallback = Metric.defaultFor(task, candidates.get(0).loss());
    if (node == null) {
      requireSampledRanges(Search.GRID, candidates, path + ".search");
      return new TuningSpec(3, fallback, 0.2, Search.GRID, 50, null, false, 42L);
    }
    node.allowOnly(
        "folds", "metric", "holdout", "search", "max_trials", "budget", "warm_start", "seed");
    Metric metric = node.choice("metric", Metric.class, fallback);
    checkTask(
        node,
        "metric",
        metric,
        metric.task(),
        task,
        "Invalid value for '%s': metric %s fits task %s, not %s.");
    if (metric == Metric.PINBALL) {
      ConfigException.check(
          candidates.stream().allMatch(c -> c.loss() == Loss.QUANTILE),
          "Invalid value for '%s': metric pinball needs every candidate to use loss quantile.",
          node.pathOf("metric"));
      ConfigException.check(
          candidates.stream().map(CandidateSpec::quantile).distinct().count() == 1,
          "Invalid value for '%s': metric pinball needs every candidate to use the same"
              + " 'quantile'.",
          node.pathOf("metric"));
    }
    String budget = node.string("budget", null);
    Search search = node.choice("search", Search.class, Search.GRID);
    requireSampledRanges(search, candidates, node.pathOf("search"));
    return new TuningSpec(
        node.integer("folds", 3, 2, 20),
        metric,
        node.number("holdout", 0.2, v -> v > 0 && v < 1, "in (0, 1)"),
        search,
        node.integer("max_trials", 50, 1, 100_000),
        budget == null ? null : Durations.parse(node.pathOf("budget"), budget),
        node.bool("warm_start", false),
        node.longValue("seed", 42L));
  }

  private static ScoringSpec scoring(ConfigNode node, String defaultDatabase) {
    if (node == null) {
      return null;
    }
    node.allowOnly("input", "output", "ttl", "retention");
    SourceSpec input = source(node.requiredChild("input"), defaultDatabase);
    String output = Identifiers.sqlName(node.pathOf("output"), node.requiredString("output"));
    Duration ttl = Durations.parse(node.pathOf("ttl"), node.string("ttl", "1d"));
    String retentionText = node.string("retention", null);
    Duration retention = null;
    if (retentionText != null) {
      retention = Durations.parse(node.pathOf("retention"), retentionText);
      // Retention counts score dates, which are whole days.
      ConfigException.check(
          retention.toSeconds() % 86_400 == 0,
          "Invalid duration for '%s': '%s'. Score dates are kept by whole days: use e.g. 90d.",
          node.pathOf("retention"),
          retentionText);
    }
    return new ScoringSpec(input, output, ttl, retention);
  }

  private static MonitoringSpec monitoring(ConfigNode node, String defaultDatabase) {
    if (node == null) {
      return null;
    }
    node.allowOnly(
        "labels",
        "drift_psi_alert",
        "degradation_factor",
        "slow_run_factor",
        "labels_missing_after");
    ConfigNode labels = node.child("labels");
    String missingAfter = node.string("labels_missing_after", null);
    return new MonitoringSpec(
        labels == null ? null : source(labels, defaultDatabase),
        node.number(
            "drift_psi_alert", MonitoringSpec.DEFAULT_PSI_ALERT, v -> v > 0, "greater than 0"),
        node.number(
            "degradation_factor",
            MonitoringSpec.DEFAULT_DEGRADATION_FACTOR,
            v -> v >= 1,
            "at least 1"),
        node.number(
            "slow_run_factor",
            MonitoringSpec.DEFAULT_SLOW_RUN_FACTOR,
            v -> v > 1,
            "greater than 1"),
        missingAfter == null
            ? MonitoringSpec.DEFAULT_LABELS_MISSING_AFTER
            : Durations.parse(node.pathOf("labels_missing_after"), missingAfter));
  }

  /**
   * The {@code serving} section; absent, its defaults from {@code scoring} (null when there is no
   * {@code scoring} either: such a model is not served).
   */
  private static ServingSpec serving(ConfigNode node, ScoringSpec scoring, String defaultDatabase) {
    if (node == null) {
      return scoring == null ? null : ServingSpec.defaults(scoring);
    }
    node.allowOnly("features", "on_missing", "on_stale", "cache_ttl");
    ConfigNode features = node.child("features");
    if (features == null && scoring == null) {
      throw ConfigErrors.servingWithoutFeatures(node.pathOf("features"));
    }
    String ttl = node.string("cache_ttl", null);
    if (ttl == null && scoring == null) {
      throw ConfigErrors.servingWithoutCacheTtl(node.pathOf("cache_ttl"));
    }
    return new ServingSpec(
        features == null ? scoring.input() : source(features, defaultDatabase),
        node.choice("on_missing", ServingSpec.OnMissing.class, ServingSpec.OnMissing.SCORE),
        node.choice("on_stale", ServingSpec.OnStale.class, ServingSpec.OnStale.SERVE),
        ttl == null ? scoring.ttl() : Durations.parse(node.pathOf("cache_ttl"), ttl));
  }

  private static NightlySpec nightly(ConfigNode node) {
    if (node == null) {
      return NightlySpec.DEFAULT;
    }
    node.allowOnly("train_deadline");
    String deadline = node.string("train_deadline", null);
    return new NightlySpec(
        deadline == null ? null : Durations.parse(node.pathOf("train_deadline"), deadline));
  }

  /** The hex SHA-256 of {@code text} in UTF-8. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
