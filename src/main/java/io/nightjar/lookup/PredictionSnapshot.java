package io.nightjar.lookup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest prediction of every entity of one model at one Delta version of its prediction table:
 * immutable, safe to read from any number of threads. Columnar to keep memory low: ids sorted
 * ({@link SortedIds}), found by binary search, predictions in a {@code double[]}, and each row's
 * (model version, scored_at, valid_until), which a whole score run shares, as an index into a small
 * table of runs. About 20 bytes per entity for whole-number ids, plus 8 with a probability (see
 * docs/benchmarks.md for the measured figure).
 */
public final class PredictionSnapshot {
  /** What a whole score run shares. */
  record RunStamp(int modelVersion, Instant scoredAt, Instant validUntil) {}

  private final long tableVersion;
  private final SortedIds ids;
  private final double[] predictions;
  private final double[] probabilities;
  private final int[] runs;
  private final RunStamp[] stamps;

  private PredictionSnapshot(Builder b) {
    this.tableVersion = b.tableVersion;
    this.ids = b.ids.build();
    this.predictions = Arrays.copyOf(b.predictions, b.size);
    this.probabilities = b.probabilities == null ? null : Arrays.copyOf(b.probabilities, b.size);
    this.runs = Arrays.copyOf(b.runs, b.size);
    this.stamps = b.stamps.toArray(RunStamp[]::new);
  }

  /** A snapshot with no entities (the model has not been scored yet); {@code tableVersion} -1. */
  public static PredictionSnapshot empty(IdType idType, boolean withProbability) {
    return new Builder(idType, -1, withProbability).build();
  }

  public IdType idType() {
    return ids.idType();
  }

  /**
   * The Delta version of the prediction table these rows were read at; -1 when there is no table
   * yet.
   */
  public long tableVersion() {
    return tableVersion;
  }

  public int size() {
    return predictions.length;
  }

  /**
   * The prediction of the entity {@code id} (a value {@link IdType#parse} returned), if it has one.
   */
  public Optional<Prediction> find(Object id) {
    int i = ids.indexOf(id);
    if (i < 0) {
      return Optional.empty();
    }
    RunStamp stamp = stamps[runs[i]];
    Double probability =
        probabilities == null || Double.isNaN(probabilities[i]) ? null : probabilities[i];
    return Optional.of(
        new Prediction(
            id,
            predictions[i],
            probability,
            stamp.modelVersion(),
            stamp.scoredAt(),
            stamp.validUntil()));
  }

  /**
   * The newest {@code valid_until} of any row; empty when the snapshot has no rows. Every row is
   * stale at {@code now} exactly when this is not after {@code now}.
   */
  public Optional<Instant> findNewestValidUntil() {
    return Arrays.stream(stamps).map(RunStamp::validUntil).max(Instant::compareTo);
  }

  /** The newest {@code scored_at} of each model version that has rows here. */
  public Map<Integer, Instant> newestScoredAtByVersion() {
    Map<Integer, Instant> out = new TreeMap<>();
    for (RunStamp s : stamps) {
      out.merge(s.modelVersion(), s.scoredAt(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return out;
  }

  /**
   * Collects rows in ascending id order; {@link #build()} makes the immutable snapshot. Not
   * thread-safe.
   */
  public static final class Builder {
    private final long tableVersion;
    private final SortedIds.Builder ids;
    private final Map<RunStamp, Integer> stampIndex = new HashMap<>();
    private final List<RunStamp> stamps = new ArrayList<>();
    private double[] predictions = new double[1024];
    private double[] probabilities;
    private int[] runs = new int[1024];
    private int size;

    public Builder(IdType idType, long tableVersion, boolean withProbability) {
      this.tableVersion = tableVersion;
      this.ids = new SortedIds.Builder(idType, "predictions");
      probabilities = withProbability ? new double[1024] : null;
    }

    /**
     * Adds the next entity; ids must come strictly ascending (the loader sorts them).
     *
     * @param probability null for regression rows
     * @throws IllegalStateException when ids repeat or come out of order
     */
    public Builder add(
        Object id,
        double prediction,
        Double probability,
        int modelVersion,
        Instant scoredAt,
        Instant validUntil) {
      if (size == predictions.length) {
        grow();
      }
      ids.add(id);
      predictions[size] = prediction;
      if (probabilities != null) {
        probabilities[size] = probability == null ? Double.NaN : probability;
      }
      RunStamp stamp = new RunStamp(modelVersion, scoredAt, validUntil);
      runs[size] =
          stampIndex.computeIfAbsent(
              stamp,
              s -> {
                stamps.add(s);
                return stamps.size() - 1;
              });
      size++;
      return this;
    }

    private void grow() {
      int capacity = predictions.length * 2;
      predictions = Arrays.copyOf(predictions, capacity);
      if (probabilities != null) {
        probabilities = Arrays.copyOf(probabilities, capacity);
      }
      runs = Arrays.copyOf(runs, capacity);
    }

    public PredictionSnapshot build() {
      return new PredictionSnapshot(this);
    }
  }
}
