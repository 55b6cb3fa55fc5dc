package io.nightjar.tuning.bayes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TPE on a synthetic objective with a known optimum: a quadratic in the logarithm of a learning
 * rate (best at 0.05, searched on [0.01, 0.3]) and in a depth (best at 6, searched on [2, 10]).
 */
class TpeTest {
  private static final List<Dimension> SPACE =
      List.of(
          Dimension.categorical(1, Dimension.ALWAYS),
          Dimension.continuous(Math.log(0.01), Math.log(0.3), Dimension.ALWAYS),
          Dimension.continuous(1.5, 10.5, Dimension.ALWAYS));

  /** 0 at the optimum. */
  private static double objective(double[] x) {
    double rate = (x[1] - Math.log(0.05)) / Math.log(10);
    double depth = (Math.rint(x[2]) - 6) / 4;
    return rate * rate + depth * depth;
  }

  /** The best objective a search of {@code trials} proposals in batches of {@code batch} finds. */
  private static double tpeBest(int trials, int batch, long seed) {
    Tpe tpe = new Tpe(SPACE, 8);
    List<Observation> observed = new ArrayList<>();
    double best = Double.POSITIVE_INFINITY;
    while (observed.size() < trials) {
      for (double[] x : tpe.propose(observed, batch, seed * 1000 + observed.size())) {
        double loss = objective(x);
        observed.add(new Observation(x, loss, 1.0, 0));
        best = Math.min(best, loss);
      }
    }
    return best;
  }

  private static double randomBest(int trials, long seed) {
    Random random = new Random(seed);
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < trials; i++) {
      double[] x = {
        0,
        SPACE.get(1).low() + random.nextDouble() * (SPACE.get(1).high() - SPACE.get(1).low()),
        SPACE.get(2).low() + random.nextDouble() * (SPACE.get(2).high() - SPACE.get(2).low())
      };
      best = Math.min(best, objective(x));
    }
    return best;
  }

  @Test
  void getsCloserToTheOptimumThanRandomSearchWithTheSameTrials() {
    double tpe = 0;
    double random = 0;
    int seeds = 20;
    for (long seed = 1; seed <= seeds; seed++) {
      tpe += tpeBest(30, 2, seed);
      random += randomBest(30, seed);
    }
    // Mean distance from the optimum over the seeds: TPE's is less than a quarter of random
    // search's (measured: 0.0014 against 0.029).
    assertThat(tpe / seeds).isLessThan(0.25 * random / seeds);
  }

  @Test
  void theSameObservationsAndSeedGiveTheSameProposals() {
    List<Observation> observed = new ArrayList<>();
    Random random = new Random(4);
    for (int i = 0; i < 12; i++) {
      double[] x = {0, Math.log(0.01) + random.nextDouble() * 3, 2 + random.nextInt(9)};
      observed.add(new Observation(x, objective(x), 1.0, 0));
    }
    Tpe tpe = new Tpe(SPACE, 5);
    List<double[]> first = tpe.propose(observed, 3, 77);
    List<double[]> second = tpe.propose(observed, 3, 77);
    assertThat(first).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(second.get(i)).containsExactly(first.get(i));
    }
    assertThat(tpe.propose(observed, 3, 78).get(0)).isNotEqualTo(first.get(0));
  }

  @Test
  void beforeStartupObservationsItDrawsUniformlyWithinTheBounds() {
    Tpe tpe = new Tpe(SPACE, 10);
    List<double[]> proposals = tpe.propose(List.of(), 50, 1);
    assertThat(proposals).hasSize(50);
    for (double[] x : proposals) {
      assertThat(x[1]).isBetween(SPACE.get(1).low(), SPACE.get(1).high());
      assertThat(x[2]).isBetween(1.5, 10.5);
    }
    double mean = proposals.stream().mapToDouble(x -> x[2]).average().orElseThrow();
    assertThat(mean).isBetween(4.5, 7.5);
  }

  @Test
  void goodObservationsAreRankedWithinTheirOwnGroup() {
    // Night 1's data sets a higher level of the metric than night 2's: its best trial is still
    // good.
    List<Observation> observed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      observed.add(new Observation(new double[] {0, 0, i + 2}, 10 + i, 1.0, 1));
      observed.add(new Observation(new double[] {0, 0, i + 6}, 1 + i, 1.0, 2));
    }
    List<Observation> good = new ArrayList<>();
    List<Observation> rest = new ArrayList<>();
    Tpe.split(observed, good, rest);
    assertThat(good).extracting(Observation::loss).containsExactlyInAnyOrder(10.0, 1.0);
    assertThat(rest).hasSize(6);
  }

  @Test
  void aBatchSpreadsOutInsteadOfRepeatingOnePoint() {
    List<Observation> observed = new ArrayList<>();
    for (int depth = 2; depth <= 10; depth++) {
      double[] x = {0, Math.log(0.05), depth};
      observed.add(new Observation(x, objective(x), 1.0, 0));
    }
    List<double[]> batch = new Tpe(SPACE, 5).propose(observed, 4, 3);
    assertThat(batch.stream().map(x -> x[1] + "/" + x[2]).distinct()).hasSize(4);
  }

  @Test
  void coordinatesOfAnotherChoiceOfTheFirstAreLeftOut() {
    List<Dimension> space =
        List.of(
            Dimension.categorical(2, Dimension.ALWAYS),
            Dimension.continuous(0, 1, 0),
            Dimension.continuous(5, 6, 1));
    for (double[] x : new Tpe(space, 100).propose(List.of(), 20, 9)) {
      assertThat(Double.isNaN(x[1])).isEqualTo(x[0] == 1);
      assertThat(Double.isNaN(x[2])).isEqualTo(x[0] == 0);
    }
  }
}
