package io.nightjar.jobs;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.nightjar.config.ConfigException;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.ServingSpec;
import io.nightjar.config.Task;
import io.nightjar.families.ModelFamilies;
import io.nightjar.kernel.KernelPointReader;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.kernel.KernelVersions;
import io.nightjar.lookup.AnswerCache;
import io.nightjar.lookup.EntityFeatures;
import io.nightjar.lookup.FeatureCache;
import io.nightjar.lookup.IdType;
import io.nightjar.lookup.OnDemandScoring;
import io.nightjar.lookup.Prediction;
import io.nightjar.lookup.PredictionSource;
import io.nightjar.lookup.ServeThread;
import io.nightjar.lookup.ServedModel;
import io.nightjar.lookup.ServedPrediction;
import io.nightjar.lookup.ServingException;
import io.nightjar.online.FeatureInput;
import io.nightjar.online.RowInputException;
import io.nightjar.online.RowPrediction;
import io.nightjar.online.RowScorer;
import io.nightjar.online.UnsupportedStageException;
import io.nightjar.registry.ArtifactStore;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * On-demand scoring of one served model ({@link OnDemandScoring}). One background thread does every
 * slow thing: on each poll tick it reads the model's aliases from the registry (Delta Kernel, no
 * Spark job), reloads the features when their source has a new version ({@link FeatureCache}),
 * loads and compiles the production and candidate versions' pipelines, and only then swaps in the
 * new state; it also loads a version that a request asked for. Requests read one immutable state,
 * so an answer never mixes two versions, and they never wait for Spark: a version not loaded yet is
 * a 503 with a retry time.
 */
public final class OnlineScoring implements OnDemandScoring, AutoCloseable {
  /** Seconds a client is told to wait for a version or features that are loading. */
  static final int RETRY_SECONDS = 5;

  /**
   * Compiles a fitted pipeline into a row scorer; {@code inputSchema} holds the model's feature
   * columns as batch scoring reads them.
   *
   * @throws UnsupportedStageException when the pipeline holds a stage it cannot compile
   */
  @FunctionalInterface
  public interface Compiler {
    RowScorer compile(PipelineModel pipeline, Task task, StructType inputSchema);
  }

  /** A version ready to score. */
  private record Loaded(ModelVersion version, RowScorer scorer) {}

  /** Why a version could not be loaded; {@code lasting} failures are not retried. */
  private record Failure(String message, boolean lasting) {}

  /**
   * What requests read, swapped whole on a tick. {@code production} is null while the production
   * version (numbered {@code productionVersion}, null when there is none) is not loaded; {@code
   * read} is false until the first tick has read the registry, when nothing is known yet.
   */
  private record State(
      Loaded production,
      Integer productionVersion,
      int latest,
      EntityFeatures features,
      boolean read) {}

  private final String model;
  private final ServingSpec serving;
  private final String idColumn;
  private final Supplier<RegistryView> registry;
  private final ArtifactStore artifacts;
  private final Compiler compiler;
  private final FeatureCache features;
  private final AnswerCache answers;
  private final ServeThread loader;
  private final Map<Integer, Loaded> loaded = new ConcurrentHashMap<>();
  private final Map<Integer, Failure> failures = new ConcurrentHashMap<>();
  private final Set<Integer> loading = ConcurrentHashMap.newKeySet();
  private volatile State state = new State(null, null, 0, null, false);
  private volatile Integer candidate;

  OnlineScoring(
      String model,
      ServingSpec serving,
      String idColumn,
      Supplier<RegistryView> registry,
      ArtifactStore artifacts,
      Compiler compiler,
      FeatureCache features,
      AnswerCache answers,
      PrintWriter log) {
    this.model = model;
    this.serving = serving;
    this.idColumn = idColumn;
    this.registry = registry;
    this.artifacts = artifacts;
    this.compiler = compiler;
    this.features = features;
    this.answers = answers;
    this.loader = new ServeThread("nightjar-online-" + model, log);
  }

  /**
   * On-demand scoring of {@code spec}'s model in {@code context}'s warehouse, with the limits of
   * the environment's {@code serve} section. Starts the background thread, which loads the features
   * and the production and candidate versions at once and checks again every {@code poll}.
   *
   * @throws ConfigException when the spec has neither a {@code serving} nor a {@code scoring}
   *     section
   */
  public static OnlineScoring start(
      JobContext context, ModelSpec spec, Compiler compiler, Duration poll, PrintWriter log) {
    ServingSpec serving = spec.serving();
    ConfigException.check(
        serving != null,
        "Cannot score model '%s' on demand: its spec has neither a 'serving' nor a 'scoring'"
            + " section.",
        spec.name());
    FeatureCache features =
        new FeatureCache(
            context.spark(),
            spec.name(),
            serving.features(),
            spec.data().id(),
            spec.data().time(),
            context.env().serve().featuresMemoryBytes(),
            KernelVersions.open(context.env()),
            KernelPointReader.open(context.env()),
            context.env().serve().cacheEntries());
    OnlineScoring online =
        new OnlineScoring(
            spec.name(),
            serving,
            spec.data().id(),
            KernelRegistry.opener(context.env())::get,
            context.artifacts(),
            compiler,
            features,
            new AnswerCache(context.env().serve().cacheEntries()),
            log);
    online.loader.every(Duration.ZERO, poll, online::tick);
    return online;
  }

  /**
   * {@link #start(JobContext, ModelSpec, Compiler, Duration, PrintWriter)} for a model {@code
   * serve} found ({@link ServedModels#find}): its spec as {@link SpecResolver#forExisting} resolves
   * it.
   */
  public static OnlineScoring start(
      JobContext context, ServedModel model, Compiler compiler, Duration poll, PrintWriter log) {
    return start(context, new SpecResolver(context).forExisting(model.name()), compiler, poll, log);
  }

  /**
   * On-demand scoring of a model {@code serve} found, compiled by the production row scorer ({@link
   * ModelFamilies#rowScorer}): what {@code serve} attaches to each served model.
   */
  public static OnlineScoring start(
      JobContext context, ServedModel model, Duration poll, PrintWriter log) {
    return start(context, model, ModelFamilies::rowScorer, poll, log);
  }

  /** The answer cache's meters, for {@code serve}'s {@code /metrics}. */
  public MeterBinder cacheMetrics() {
    return answers.metrics(model);
  }

  @Override
  public boolean scoresMissing() {
    return serving.onMissing() == ServingSpec.OnMissing.SCORE;
  }

  @Override
  public boolean scoresStale() {
    return serving.onStale() == ServingSpec.OnStale.SCORE;
  }

  @Override
  public Optional<ServedPrediction> findCached(Object id) {
    State s = state;
    if (s.production() == null || s.features() == null) {
      return Optional.empty();
    }
    return cached(s.production(), s.features(), id, true);
  }

  @Override
  public ServedPrediction scoreEntity(Object id) {
    State s = state;
    // The lookup called findCached first: the look here (another request may have cached the
    // answer since) is not counted again.
    return scoreFromFeatures(s, production(s), id, false);
  }

  @Override
  public ServedPrediction scoreEntity(int version, Object id) {
    State s = state;
    Loaded chosen = loaded.get(version);
    if (chosen == null) {
      chosen = awaitLoad(s, version);
    }
    return scoreFromFeatures(s, chosen, id, true);
  }

  @Override
  public List<ServedPrediction> scoreRows(List<Map<String, Object>> rows) {
    Loaded chosen = production(state);
    RowScorer scorer = chosen.scorer();
    Set<String> valid = new LinkedHashSet<>();
    for (FeatureInput input : scorer.inputs()) {
      valid.add(input.name());
    }
    List<Map<String, Object>> batch = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> row = rows.get(i);
      Map<String, Object> values = new HashMap<>();
      for (Map.Entry<String, Object> entry : row.entrySet()) {
        if (entry.getKey().equals(idColumn)) {
          continue;
        }
        if (!valid.contains(entry.getKey())) {
          throw ServingException.invalid(
              String.format(
                  "Invalid row %d: unknown feature '%s'. Valid features of model '%s' version %d:"
                      + " %s (and the id column '%s').",
                  i,
                  entry.getKey(),
                  model,
                  chosen.version().version(),
                  String.join(", ", valid),
                  idColumn));
        }
        values.put(entry.getKey(), entry.getValue());
      }
      // A forgotten key would silently score as a missing value; a missing value is an explicit
      // null.
      for (String feature : valid) {
        if (!row.containsKey(feature)) {
          throw ServingException.invalid(
              String.format(
                  "Invalid row %d: feature '%s' is missing. Give every feature of model '%s'"
                      + " version %d (%s), with null for a missing value.",
                  i, feature, model, chosen.version().version(), String.join(", ", valid)));
        }
      }
      batch.add(values);
    }
    List<RowPrediction> scored;
    try {
      // One call for the body: an XGBoost model scores all its rows in one native call.
      scored = scorer.scoreAll(batch);
    } catch (RowInputException e) {
      throw ServingException.invalid(
          String.format("Invalid row %d, feature '%s': %s", e.row(), e.feature(), e.getMessage()));
    }
    List<ServedPrediction> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(
          new ServedPrediction(
              stamp(rows.get(i).get(idColumn), scored.get(i), chosen.version().version()),
              PredictionSource.ONLINE));
    }
    return out;
  }

  @Override
  public List<String> problems() {
    List<String> out = new ArrayList<>();
    if (features.problem() != null) {
      out.add(features.problem());
    }
    Set<Integer> served = new LinkedHashSet<>();
    if (state.productionVersion() != null) {
      served.add(state.productionVersion());
    }
    if (candidate != null) {
      served.add(candidate);
    }
    for (Integer version : served) {
      Failure failure = failures.get(version);
      if (failure != null) {
        out.add(failure.message());
      }
    }
    return out;
  }

  /**
   * One poll tick, run on the background thread: re-reads the aliases, reloads changed features,
   * loads the production and candidate versions, then swaps the state requests read.
   */
  void refresh() {
    RegistryView view = registry.get();
    Map<String, Integer> aliases = view.aliases(model);
    Integer production = aliases.get(ModelAliasesTable.PRODUCTION);
    candidate = aliases.get(ModelAliasesTable.CANDIDATE);
    Set<String> wanted = new LinkedHashSet<>();
    List<ModelVersion> served = new ArrayList<>();
    for (Integer number : new LinkedHashSet<>(nonNull(production, candidate))) {
      view.find(model, number).ifPresent(served::add);
    }
    served.forEach(v -> wanted.addAll(v.schema().features()));
    loaded.values().forEach(l -> wanted.addAll(l.version().schema().features()));
    try {
      if (features.refresh(wanted)) {
        EntityFeatures f = features.features();
        say(
            "%s: %s from %s (version %d)",
            model, f.describe(), features.source().describe(), f.sourceVersion());
      }
    } catch (RuntimeException e) {
      say("%s: %s", model, features.problem());
    }
    for (ModelVersion version : served) {
      failures.computeIfPresent(version.version(), (k, f) -> f.lasting() ? f : null);
      load(version);
    }
    EntityFeatures f = features.features();
    state =
        new State(
            production == null ? null : loaded.get(production),
            production,
            view.latestVersion(model),
            f,
            true);
    answers.retainOnly(
        Set.copyOf(nonNull(production, candidate)), f == null ? -1 : f.sourceVersion());
  }

  private void tick() {
    try {
      refresh();
    } catch (RuntimeException e) {
      say("%s: on-demand scoring could not check the registry: %s", model, e.getMessage());
    }
  }

  private static List<Integer> nonNull(Integer... values) {
    List<Integer> out = new ArrayList<>();
    for (Integer value : values) {
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  /** Loads and compiles {@code version} unless it is loaded or failed; records a failure. */
  private void load(ModelVersion version) {
    int number = version.version();
    if (loaded.containsKey(number) || failures.containsKey(number)) {
      return;
    }
    try {
      StructType schema = inputSchema(version);
      long started = System.nanoTime();
      PipelineModel pipeline = artifacts.load(version);
      RowScorer scorer = compiler.compile(pipeline, version.recipe().task(), schema);
      loaded.put(number, new Loaded(version, scorer));
      say(
          "%s: version %d ready for on-demand scoring (%.1fs)",
          model, number, (System.nanoTime() - started) / 1e9);
    } catch (RuntimeException e) {
      boolean lasting = e instanceof UnsupportedStageException;
      String message =
          String.format(
              "Cannot score model '%s' version %d on demand: %s", model, number, e.getMessage());
      failures.put(number, new Failure(message, lasting));
      say("%s", message);
    }
  }

  /**
   * The version's feature columns as batch scoring reads them from the features source: booleans as
   * doubles ({@code TrainingFrame.withModelTypes}).
   */
  private StructType inputSchema(ModelVersion version) {
    StructType source = features.schema();
    if (source == null) {
      throw new IllegalStateException(
          "the features source has not been read yet"
              + (features.problem() == null ? "" : " (" + features.problem() + ")"));
    }
    List<StructField> fields = new ArrayList<>();
    for (String feature : version.schema().features()) {
      if (!List.of(source.fieldNames()).contains(feature)) {
        throw new IllegalStateException(
            String.format(
                "%s (%s) has no column '%s', which version %d reads.",
                features.source().describe(), FeatureCache.KEY, feature, version.version()));
      }
      fields.add(source.apply(feature));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** The production version of state {@code s}, ready, or the error a request gets. */
  private Loaded production(State s) {
    if (s.production() != null) {
      return s.production();
    }
    checkStarted(s);
    if (s.productionVersion() == null) {
      throw ServingException.notFound(
          String.format(
              "Cannot score model '%s' on demand: it has no production version; promote one.",
              model));
    }
    return notReady(s.productionVersion());
  }

  /**
   * Before the first tick has read the registry, no version is known: "no production version" or
   * "unknown version" would be wrong answers, so the request is asked to come back.
   */
  private void checkStarted(State s) {
    if (!s.read()) {
      throw ServingException.unavailable(
          String.format(
              "Cannot score model '%s' on demand yet: serve is still reading its versions and"
                  + " features; retry in %d s.",
              model, RETRY_SECONDS),
          RETRY_SECONDS);
    }
  }

  /**
   * A version a request named that is not loaded: 404 when it does not exist, else a background
   * load is started and the request gets 503.
   */
  private Loaded awaitLoad(State s, int version) {
    checkStarted(s);
    if (version < 1 || version > s.latest()) {
      throw ServingException.notFound(
          s.latest() == 0
              ? String.format(
                  "Unknown version %d of model '%s': it has no versions.", version, model)
              : String.format(
                  "Unknown version %d of model '%s': its versions are 1 to %d.",
                  version, model, s.latest()));
    }
    Failure failure = failures.get(version);
    if (failure == null && loading.add(version)) {
      loader.submit(
          () -> {
            try {
              registry.get().find(model, version).ifPresent(this::load);
            } catch (RuntimeException e) {
              say("%s: version %d could not be loaded: %s", model, version, e.getMessage());
            } finally {
              loading.remove(version);
            }
          });
    }
    return notReady(version);
  }

  private Loaded notReady(int version) {
    Failure failure = failures.get(version);
    if (failure != null) {
      // Not the client's doing, and not passing by itself: a 500 with the reason.
      throw new IllegalStateException(failure.message());
    }
    throw ServingException.unavailable(
        String.format(
            "Cannot score model '%s' version %d yet: it is loading; retry in %d s.",
            model, version, RETRY_SECONDS),
        RETRY_SECONDS);
  }

  /**
   * Scores the entity {@code requested} with {@code chosen} unless a valid answer is cached; {@code
   * counted} as in {@link #cached}.
   */
  private ServedPrediction scoreFromFeatures(
      State s, Loaded chosen, Object requested, boolean counted) {
    EntityFeatures f = s.features();
    if (f == null) {
      String problem = features.problem();
      throw ServingException.unavailable(
          problem != null
              ? problem
              : String.format(
                  "Cannot score model '%s' by id yet: its features are loading; retry in %d s.",
                  model, RETRY_SECONDS),
          problem != null ? 60 : RETRY_SECONDS);
    }
    if (!f.columns().containsAll(chosen.version().schema().features())) {
      throw ServingException.unavailable(
          String.format(
              "Cannot score model '%s' version %d by id yet: the columns it reads are being"
                  + " loaded; retry in %d s.",
              model, chosen.version().version(), RETRY_SECONDS),
          RETRY_SECONDS);
    }
    Object id = asIdOf(f.idType(), requested);
    Optional<ServedPrediction> hit = cached(chosen, f, id, counted);
    if (hit.isPresent()) {
      return hit.get();
    }
    Map<String, Object> row =
        findFeatures(f, id, requested)
            .orElseThrow(
                () ->
                    ServingException.notFound(
                        String.format(
                            "Unknown id '%s' for model '%s': %s (%s) has no row for it.",
                            requested, model, features.source().describe(), FeatureCache.KEY)));
    RowPrediction p;
    try {
      p = chosen.scorer().score(row);
    } catch (RowInputException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot score id '%s' of model '%s': the value of '%s' in %s is refused: %s",
              requested, model, e.feature(), features.source().describe(), e.getMessage()),
          e);
    }
    Prediction answer = stamp(id, p, chosen.version().version());
    answers.put(new AnswerCache.Key(chosen.version().version(), f.sourceVersion(), id), answer);
    return new ServedPrediction(answer, PredictionSource.ONLINE);
  }

  /**
   * The entity's features: from memory, or read from the source by id above {@code
   * serve.features_memory}, where a storage failure is named with the source.
   */
  private Optional<Map<String, Object>> findFeatures(
      EntityFeatures f, Object id, Object requested) {
    try {
      return f.find(id);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          String.format(
              "Cannot read the features of id '%s' of model '%s' from %s (%s, version %d): %s",
              requested,
              model,
              features.source().describe(),
              FeatureCache.KEY,
              f.sourceVersion(),
              e.getMessage()),
          e);
    }
  }

  /**
   * The valid cached answer of {@code chosen} for the id; {@code counted} says whether the look
   * counts in the cache's hits and misses.
   */
  private Optional<ServedPrediction> cached(
      Loaded chosen, EntityFeatures f, Object requested, boolean counted) {
    Object id = asIdOf(f.idType(), requested);
    AnswerCache.Key key = new AnswerCache.Key(chosen.version().version(), f.sourceVersion(), id);
    return (counted ? answers.find(key) : answers.findAgain(key))
        .map(p -> new ServedPrediction(p, PredictionSource.CACHE));
  }

  /**
   * The request's id as the features hold ids: the prediction table and the features source may
   * type the id column differently (int and string).
   */
  private static Object asIdOf(IdType type, Object id) {
    if (type.integral() == (id instanceof Long)) {
      return id;
    }
    try {
      return type.parse(String.valueOf(id));
    } catch (IllegalArgumentException e) {
      throw ServingException.notFound(e.getMessage());
    }
  }

  /** An answer scored now by {@code version}: valid for {@code serving.cache_ttl}. */
  private Prediction stamp(Object id, RowPrediction p, int version) {
    Instant now = answers.clock().instant();
    return new Prediction(
        id, p.prediction(), p.probability(), version, now, now.plus(serving.cacheTtl()));
  }

  private void say(String format, Object... args) {
    loader.say(format, args);
  }

  /** Stops the background thread; a load in progress finishes first (up to 30 s). */
  @Override
  public void close() {
    loader.close();
  }

  /** Waits until the background work queued so far (loads a request asked for) is done. */
  void awaitBackgroundWork() throws Exception {
    loader.submit(() -> {}).get(60, TimeUnit.SECONDS);
  }
}
