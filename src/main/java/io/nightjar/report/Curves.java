package io.nightjar.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The curves classification reports draw, computed from labels in {0,1} and predicted probabilities
 * of 1.
 */
final class Curves {
  private Curves() {}

  /**
   * The ROC curve: {x = false positive rates, y = true positive rates}, from (0,0) to (1,1), one
   * point per distinct probability (tied rows move together, so the curve does not depend on their
   * order).
   */
  static double[][] roc(double[] labels, double[] probabilities) {
    Integer[] order = IntStream.range(0, labels.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed());
    double positives = Arrays.stream(labels).filter(y -> y == 1.0).count();
    double negatives = labels.length - positives;
    double[] fpr = new double[labels.length + 2];
    double[] tpr = new double[labels.length + 2];
    int points = 1;
    double tp = 0;
    double fp = 0;
    for (int k = 0; k < order.length; k++) {
      if (labels[order[k]] == 1.0) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfTie =
          k + 1 == order.length || probabilities[order[k + 1]] != probabilities[order[k]];
      if (lastOfTie) {
        fpr[points] = negatives == 0 ? 0.0 : fp / negatives;
        tpr[points] = positives == 0 ? 0.0 : tp / positives;
        points++;
      }
    }
    fpr[points] = 1.0;
    tpr[points] = 1.0;
    return new double[][] {Arrays.copyOf(fpr, points + 1), Arrays.copyOf(tpr, points + 1)};
  }

  /** The area under a curve by the trapezoid rule. */
  static double area(double[][] curve) {
    double area = 0;
    for (int i = 1; i < curve[0].length; i++) {
      area += (curve[0][i] - curve[0][i - 1]) * (curve[1][i] + curve[1][i - 1]) / 2;
    }
    return area;
  }

  /**
   * The reliability curve: rows grouped into {@code bins} equal-width bins of predicted
   * probability; per non-empty bin {x = mean predicted probability, y = observed share of label 1}.
   */
  static double[][] calibration(double[] labels, double[] probabilities, int bins) {
    double[] predicted = new double[bins];
    double[] observed = new double[bins];
    int[] counts = new int[bins];
    for (int i = 0; i < labels.length; i++) {
      int bin = Math.min(bins - 1, (int) Math.floor(probabilities[i] * bins));
      predicted[bin] += probabilities[i];
      observed[bin] += labels[i];
      counts[bin]++;
    }
    int used = (int) Arrays.stream(counts).filter(c -> c > 0).count();
    double[][] curve = new double[2][used];
    int next = 0;
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        curve[0][next] = predicted[b] / counts[b];
        curve[1][next] = observed[b] / counts[b];
        next++;
      }
    }
    return curve;
  }
}
