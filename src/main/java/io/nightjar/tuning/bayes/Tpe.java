package io.nightjar.tuning.bayes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The Tree-structured Parzen Estimator (Bergstra et al., 2011), the model-based search Optuna and
 * Hyperopt default to. It splits the observations into the good ones (the best {@link #GAMMA} of
 * each group) and the rest, fits a {@link Parzen} estimator per coordinate to each, draws {@link
 * #CANDIDATES} points from the good estimator and proposes the one where good is most likely
 * relative to the rest. Until there are {@code startup} observations it proposes uniformly random
 * points.
 *
 * <p>A batch of proposals is made one at a time, each earlier proposal of the batch counting among
 * the rest (a "constant liar"), so that a batch spreads out instead of proposing one point many
 * times. Proposals depend only on the observations, their order and {@code seed}: the same inputs
 * give the same points.
 */
public final class Tpe {
  /** The share of each group's observations that counts as good. */
  public static final double GAMMA = 0.25;

  /** Points drawn from the good estimator to choose each proposal from. */
  public static final int CANDIDATES = 24;

  private final List<Dimension> dimensions;
  private final int startup;

  /**
   * @param dimensions the coordinates; when some are active only for some values of coordinate 0,
   *     coordinate 0 is a categorical
   * @param startup how many observations there must be before the model is used
   */
  public Tpe(List<Dimension> dimensions, int startup) {
    if (dimensions.isEmpty()) {
      throw new IllegalArgumentException("a search space needs at least one dimension");
    }
    this.dimensions = List.copyOf(dimensions);
    this.startup = startup;
  }

  /** {@code count} proposals given {@code observed}, the same for the same inputs and seed. */
  public List<double[]> propose(List<Observation> observed, int count, long seed) {
    Random random = new Random(seed);
    List<double[]> proposals = new ArrayList<>();
    if (observed.size() < startup) {
      for (int i = 0; i < count; i++) {
        proposals.add(uniform(random));
      }
      return proposals;
    }
    List<Observation> good = new ArrayList<>();
    List<Observation> rest = new ArrayList<>();
    split(observed, good, rest);
    for (int i = 0; i < count; i++) {
      double[] next = best(good, rest, random);
      proposals.add(next);
      rest.add(new Observation(next, Double.POSITIVE_INFINITY, 1.0, -1));
    }
    return proposals;
  }

  /** The best {@link #GAMMA} of each group (at least one) are good, the rest are not. */
  static void split(List<Observation> observed, List<Observation> good, List<Observation> rest) {
    Map<Integer, List<Observation>> groups = new TreeMap<>();
    observed.forEach(o -> groups.computeIfAbsent(o.group(), g -> new ArrayList<>()).add(o));
    for (List<Observation> group : groups.values()) {
      // A stable sort: ties keep the callers' order, so that the split is reproducible.
      List<Observation> ranked =
          group.stream().sorted(Comparator.comparingDouble(Observation::loss)).toList();
      int cut = Math.max(1, (int) Math.ceil(GAMMA * ranked.size()));
      good.addAll(ranked.subList(0, cut));
      rest.addAll(ranked.subList(cut, ranked.size()));
    }
  }

  private double[] best(List<Observation> good, List<Observation> rest, Random random) {
    List<Parzen> goods = estimators(good);
    List<Parzen> rests = estimators(rest);
    double[] best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < CANDIDATES; c++) {
      double[] x = new double[dimensions.size()];
      double score = 0;
      for (int d = 0; d < dimensions.size(); d++) {
        if (d > 0 && !dimensions.get(d).activeFor(x[0])) {
          x[d] = Double.NaN;
          continue;
        }
        x[d] = goods.get(d).sample(random);
        score += goods.get(d).logDensity(x[d]) - rests.get(d).logDensity(x[d]);
      }
      // The first candidate stands until a better one comes (a score is finite, as every estimator
      // has a prior).
      if (best == null || score > bestScore) {
        bestScore = score;
        best = x;
      }
    }
    return best;
  }

  private List<Parzen> estimators(List<Observation> observations) {
    List<Parzen> out = new ArrayList<>();
    double[] weights = observations.stream().mapToDouble(Observation::weight).toArray();
    for (int d = 0; d < dimensions.size(); d++) {
      int at = d;
      double[] values = observations.stream().mapToDouble(o -> o.at(at)).toArray();
      out.add(new Parzen(dimensions.get(d), values, weights));
    }
    return out;
  }

  /** A uniformly random point: coordinate 0 first, as it decides which others are active. */
  private double[] uniform(Random random) {
    double[] x = new double[dimensions.size()];
    for (int d = 0; d < dimensions.size(); d++) {
      Dimension dimension = dimensions.get(d);
      if (d > 0 && !dimension.activeFor(x[0])) {
        x[d] = Double.NaN;
      } else if (dimension.categorical()) {
        x[d] = random.nextInt(dimension.choices());
      } else {
        x[d] = dimension.low() + random.nextDouble() * (dimension.high() - dimension.low());
      }
    }
    return x;
  }
}
