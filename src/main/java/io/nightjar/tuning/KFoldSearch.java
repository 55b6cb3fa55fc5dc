package io.nightjar.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.Metric;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.Search;
import io.nightjar.config.TuningSpec;
import io.nightjar.data.Columns;
import io.nightjar.families.ModelFamilies;
import io.nightjar.model.CrossValidation;
import io.nightjar.model.FeaturePlan;
import io.nightjar.model.ModelFamily;
import io.nightjar.model.TuningOptions;
import io.nightjar.registry.HistoricTrial;
import io.nightjar.registry.PastTrial;
import io.nightjar.registry.TrialStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * k-fold cross-validated search over every candidate's grid. {@code grid} evaluates every point;
 * {@code random} evaluates {@code max_trials} points sampled with the seed; {@code halving}
 * (successive halving, factor {@value #ETA}) evaluates many points on a share of each fold's
 * training rows and gives more rows to the best third, rung by rung, until the survivors are
 * evaluated on all rows; {@code bayes} proposes {@code max_trials} points in batches, each batch
 * from a model ({@link BayesSearch}) of the metric fitted on the trials so far and, with warm
 * start, on every past trial of the model ({@link SearchHistory}). A key given as a range is drawn
 * from ({@link SearchSpace}). With warm start, {@code grid}, {@code random} and {@code halving} put
 * the configurations that did best in this model's past runs first. Feature preparation is fitted
 * once per fold and family and its output cached ({@link PreparedFolds}); each trial then fits only
 * its estimator, and points that one fit can serve (e.g. boosted-tree points that differ only in
 * {@code num_trees}) are evaluated together, as each family's fold fitting says ({@link
 * TrialEvaluator}). The tuning switches ({@link TuningOptions}) are read once, when the search
 * starts. The spec's {@code budget} covers the search and the refit of the best configuration: the
 * search does not start an evaluation that it predicts ({@link FitCost}) would leave too little
 * time for the refit, and the trials finished so far decide. Given the trials of an earlier, killed
 * attempt at the same training, it reuses them ({@link ResumedTrials}).
 */
public final class KFoldSearch {
  /** Successive halving keeps the best 1/ETA of the configurations at each rung. */
  public static final int ETA = 3;

  /** The smallest share of rows a halving rung trains on. */
  static final double MIN_SHARE = 0.1;

  /** A configuration to evaluate: which candidate, and which point of its grid. */
  public record Point(int candidateIndex, CandidateSpec candidate, Map<GridKey, Double> params) {
    /** Identifies the configuration across runs, e.g. {@code linear/squared {reg_param=0.1}}. */
    public String key() {
      return key(candidate.label(), GridPoints.describe(params));
    }

    public static String key(String candidateLabel, Map<String, String> params) {
      return candidateLabel + " " + new TreeMap<>(params);
    }
  }

  /** What the search found: every trial, and whether the budget stopped it early. */
  public record Outcome(List<Trial> trials, boolean budgetExhausted) {}

  private final ModelSpec spec;
  private final FeaturePlan plan;
  private final boolean weighted;
  private final List<String> warmStart;
  private final ResumedTrials resumed;
  private final List<HistoricTrial> history;
  private final LocalDate today;

  /**
   * @param warmStart keys ({@link Point#key()}) of past configurations to evaluate first, best
   *     first; empty for none
   */
  public KFoldSearch(ModelSpec spec, FeaturePlan plan, boolean weighted, List<String> warmStart) {
    this(spec, plan, weighted, warmStart, List.of());
  }

  /**
   * @param resumed the trials an earlier, killed attempt at the same training recorded ({@link
   *     io.nightjar.registry.TrialsTable#recorded}); its done trials are reused instead of
   *     evaluated again, and so are the rungs of a halving search it finished
   */
  public KFoldSearch(
      ModelSpec spec,
      FeaturePlan plan,
      boolean weighted,
      List<String> warmStart,
      List<PastTrial> resumed) {
    this(spec, plan, weighted, warmStart, resumed, List.of(), null);
  }

  /**
   * @param history the model's past finished trials on the spec's metric ({@link
   *     io.nightjar.registry.TrialsTable#history}), which {@code bayes} learns from; empty for none
   * @param today the logical date of this training, which ages the history; null when there is none
   */
  public KFoldSearch(
      ModelSpec spec,
      FeaturePlan plan,
      boolean weighted,
      List<String> warmStart,
      List<PastTrial> resumed,
      List<HistoricTrial> history,
      LocalDate today) {
    this.spec = spec;
    this.plan = plan;
    this.weighted = weighted;
    this.warmStart = List.copyOf(warmStart);
    this.resumed = resumed.isEmpty() ? ResumedTrials.NONE : new ResumedTrials(resumed);
    this.history = List.copyOf(history);
    this.today = today;
  }

  /**
   * The configurations the spec's search will evaluate, in order: warm-start seeds first. {@code
   * bayes} chooses as it goes and does not use this list; for it, this is what {@code random} would
   * draw.
   */
  public List<Point> points() {
    if (spec.candidates().stream().anyMatch(CandidateSpec::hasRanges)) {
      return drawn(spec.tuning());
    }
    List<Point> all = new ArrayList<>();
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      for (Map<GridKey, Double> params : GridPoints.expand(candidate)) {
        all.add(new Point(i, candidate, params));
      }
    }
    Map<String, Point> byKey = new LinkedHashMap<>();
    all.forEach(point -> byKey.putIfAbsent(point.key(), point));
    List<Point> seeds = new ArrayList<>();
    for (String key : warmStart) {
      Point seed = byKey.get(key);
      if (seed != null && !seeds.contains(seed)) {
        seeds.add(seed);
      }
    }
    List<Point> rest = all.stream().filter(point -> !seeds.contains(point)).toList();
    TuningSpec tuning = spec.tuning();
    List<Point> out = new ArrayList<>(seeds);
    if (tuning.search() == Search.GRID) {
      out.addAll(rest);
      return out;
    }
    int room = Math.max(0, tuning.maxTrials() - seeds.size());
    out.addAll(GridPoints.sample(rest, room, tuning.seed()));
    return out.subList(0, Math.min(out.size(), tuning.maxTrials()));
  }

  /**
   * A grid with ranges cannot be listed: the warm-start seeds that lie in today's space, then
   * distinct configurations drawn uniformly with the seed ({@link SearchSpace#uniform}), up to
   * {@code max_trials} (fewer when a small space of choices runs out).
   */
  private List<Point> drawn(TuningSpec tuning) {
    SearchSpace space = new SearchSpace(spec.candidates());
    Map<String, Point> out = new LinkedHashMap<>();
    for (String key : warmStart) {
      Point seed = space.recorded(key);
      if (seed != null && out.size() < tuning.maxTrials()) {
        out.putIfAbsent(seed.key(), seed);
      }
    }
    Random random = new Random(tuning.seed());
    for (int draw = 0; out.size() < tuning.maxTrials() && draw < 100 * tuning.maxTrials(); draw++) {
      Point point = space.uniform(random);
      out.putIfAbsent(point.key(), point);
    }
    return List.copyOf(out.values());
  }

  /**
   * Evaluates {@link #points()} on {@code tuningRows} (which carry {@link Columns#FOLD}). The
   * listener hears of every final trial and of each checkpoint: a point where the trials heard so
   * far are whole groups or rungs.
   */
  public Outcome run(Dataset<Row> tuningRows, int folds, TuningListener listener) {
    TuningSpec tuning = spec.tuning();
    List<Point> points = tuning.search() == Search.BAYES ? List.of() : points();
    int features = plan.numeric().size() + plan.categorical().size();
    TuningOptions options = TuningOptions.read(SparkSession.active());
    try (PreparedFolds prepared = new PreparedFolds(tuningRows, folds, plan);
        CrossValidation cv =
            new CrossValidation(
                spec.task(),
                tuning.metric(),
                weighted,
                tuning.seed(),
                options,
                tuningRows,
                features,
                prepared)) {
      SearchClock clock = new SearchClock(tuning.budget());
      SearchBudget budget = new SearchBudget(clock, new FitCost(), folds, cv.concurrentFits());
      TrialEvaluator evaluator = new TrialEvaluator(spec, weighted, cv);
      Outcome outcome =
          switch (tuning.search()) {
            case HALVING -> halving(points, evaluator, budget, listener);
            case BAYES ->
                new BayesSearch(spec, resumed, history, today).run(evaluator, budget, listener);
            default -> sequential(points, evaluator, budget, listener);
          };
      listener.checkpoint(true);
      return outcome;
    }
  }

  private Outcome sequential(
      List<Point> points, TrialEvaluator evaluator, SearchBudget budget, TuningListener listener) {
    SearchClock clock = budget.clock();
    List<Trial> trials = new ArrayList<>();
    List<Point> pending = new ArrayList<>();
    for (Point point : points) {
      Trial past = resumed.done(point, 0);
      if (past == null) {
        pending.add(point);
      } else {
        report(trials, past, points.size(), clock, Duration.ZERO, listener);
      }
    }
    int evaluated = 0;
    for (List<Point> group : evaluator.groups(pending)) {
      if (!budget.allows(group, trials)) {
        return new Outcome(trials, true);
      }
      List<Trial> results = evaluator.evaluate(group, 1.0, 0);
      budget.measured(group, results, 1.0, best(trials, results, spec.tuning().metric()));
      evaluated += results.size();
      for (Trial trial : results) {
        report(
            trials,
            trial,
            points.size(),
            clock,
            clock.remaining(evaluated, pending.size()),
            listener);
      }
      listener.checkpoint(false);
    }
    return new Outcome(trials, false);
  }

  static void report(
      List<Trial> trials,
      Trial trial,
      int total,
      SearchClock clock,
      Duration remaining,
      TuningListener listener) {
    Trial numbered = trial.numbered(trials.size() + 1, trial.status());
    trials.add(numbered);
    listener.trialFinished(numbered, trials.size(), total, clock.elapsed(), remaining);
  }

  /**
   * Successive halving: rung r trains on {@code ETA^(r - last)} of each fold's training rows (never
   * less than {@link #MIN_SHARE}); after each rung but the last, the best {@code 1/ETA} go on and
   * the rest are recorded as pruned.
   */
  private Outcome halving(
      List<Point> points, TrialEvaluator evaluator, SearchBudget budget, TuningListener listener) {
    SearchClock clock = budget.clock();
    int lastRung = 0;
    while (Math.pow(ETA, lastRung + 1) <= points.size()
        && Math.pow(ETA, -(lastRung + 1)) >= MIN_SHARE) {
      lastRung++;
    }
    List<Trial> finished = new ArrayList<>();
    List<Point> alive = new ArrayList<>(points);
    List<Trial> lastSurvivors = List.of();
    int evaluations = 0;
    int plannedEvaluations = 0;
    for (int rung = 0, n = points.size(); rung <= lastRung; rung++, n = Math.max(1, n / ETA)) {
      plannedEvaluations += n;
    }
    for (int rung = 0; rung <= lastRung; rung++) {
      List<Point> survivorsOfResumedRung =
          rung < lastRung
              ? resumeRung(rung, alive, finished, clock, listener, points.size())
              : null;
      if (survivorsOfResumedRung != null) {
        evaluations += alive.size();
        alive = survivorsOfResumedRung;
        lastSurvivors = List.of();
        clock.progress(evaluations, plannedEvaluations);
        continue;
      }
      double share = Math.pow(ETA, rung - lastRung);
      List<Trial> rungTrials = new ArrayList<>();
      List<Point> pending = new ArrayList<>();
      for (Point point : alive) {
        Trial past = resumed.done(point, rung);
        if (past == null) {
          pending.add(point);
        } else {
          rungTrials.add(past);
        }
      }
      for (List<Point> group : evaluator.groups(pending)) {
        // After a resumed rung there are no survivor trials to fall back on: evaluate at least one
        // group.
        boolean nothingToKeep = rung > 0 && rungTrials.isEmpty() && lastSurvivors.isEmpty();
        if (clock.exhausted() && !nothingToKeep) {
          // The best information there is: this rung's evaluations so far, or else the previous
          // rung's survivors.
          finish(
              finished,
              rungTrials.isEmpty() ? lastSurvivors : rungTrials,
              TrialStatus.DONE,
              listener,
              clock,
              points.size());
          return new Outcome(finished, true);
        }
        List<Trial> results = evaluator.evaluate(group, share, rung);
        budget.measured(group, results, share, best(rungTrials, results, spec.tuning().metric()));
        rungTrials.addAll(results);
        evaluations += group.size();
      }
      if (rung == lastRung) {
        finish(finished, rungTrials, TrialStatus.DONE, listener, clock, points.size());
        break;
      }
      List<Trial> ranked = rank(rungTrials, spec.tuning().metric());
      int keep = Math.max(1, alive.size() / ETA);
      List<Trial> survivors = ranked.subList(0, Math.min(keep, ranked.size()));
      finish(
          finished,
          ranked.subList(survivors.size(), ranked.size()),
          TrialStatus.PRUNED,
          listener,
          clock,
          points.size());
      listener.checkpoint(false);
      lastSurvivors = List.copyOf(survivors);
      alive = new ArrayList<>();
      for (Trial survivor : survivors) {
        alive.add(new Point(survivor.candidateIndex(), survivor.candidate(), survivor.params()));
      }
      clock.progress(evaluations, plannedEvaluations);
    }
    return new Outcome(finished, false);
  }

  /** The best done trial among {@code a} and {@code b} by {@code metric}, or null. */
  static Trial best(List<Trial> a, List<Trial> b, Metric metric) {
    List<Trial> all = new ArrayList<>(a);
    all.addAll(b);
    List<Trial> ranked = rank(all, metric);
    return ranked.isEmpty() || !ranked.get(0).done() ? null : ranked.get(0);
  }

  /**
   * When the earlier attempt finished halving rung {@code rung} for exactly these {@code alive}
   * points, reports the trials it eliminated there and returns the survivors; otherwise returns
   * null and the rung is evaluated.
   */
  private List<Point> resumeRung(
      int rung,
      List<Point> alive,
      List<Trial> finished,
      SearchClock clock,
      TuningListener listener,
      int total) {
    List<Trial> eliminated = resumed.eliminatedAt(rung, alive);
    int keep = Math.max(1, alive.size() / ETA);
    // A different number of survivors means the earlier attempt searched other points: evaluate
    // instead.
    if (eliminated.isEmpty() || alive.size() - eliminated.size() != keep) {
      return null;
    }
    finish(finished, eliminated, TrialStatus.PRUNED, listener, clock, total);
    listener.checkpoint(false);
    Set<String> gone = new HashSet<>();
    eliminated.forEach(
        trial ->
            gone.add(Point.key(trial.candidate().label(), GridPoints.describe(trial.params()))));
    return alive.stream().filter(point -> !gone.contains(point.key())).toList();
  }

  /** Done trials by the tuning metric, best first; failed ones last. */
  static List<Trial> rank(List<Trial> trials, Metric metric) {
    Comparator<Trial> byMean = Comparator.comparing(Trial::mean, metric.bestFirst());
    List<Trial> ranked =
        new ArrayList<>(
            trials.stream()
                .filter(t -> t.done() && !Double.isNaN(t.mean()))
                .sorted(byMean)
                .toList());
    trials.stream().filter(t -> !ranked.contains(t)).forEach(ranked::add);
    return ranked;
  }

  /**
   * Numbers trials in the order they are final and reports them; {@code status} replaces done (not
   * failed).
   */
  private static void finish(
      List<Trial> finished,
      List<Trial> trials,
      TrialStatus status,
      TuningListener listener,
      SearchClock clock,
      int total) {
    for (Trial trial : trials) {
      Trial numbered = trial.numbered(finished.size() + 1, status);
      finished.add(numbered);
      listener.trialFinished(
          numbered, finished.size(), total, clock.elapsed(), clock.remainingByShare());
    }
  }

  /**
   * Fits the full pipeline (feature preparation and model) of one configuration on {@code rows}.
   */
  public PipelineModel fit(
      CandidateSpec candidate, Map<GridKey, Double> params, Dataset<Row> rows) {
    ModelFamily family = ModelFamilies.of(candidate);
    List<PipelineStage> stages = new ArrayList<>(family.preparation(plan));
    stages.add(family.estimator(spec.task(), candidate, params, weighted));
    return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
  }
}
