package io.nightjar.tuning;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.GridKey;
import io.nightjar.config.GridRange;
import io.nightjar.tuning.bayes.Dimension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The spec's candidates as one space of coordinates, so that a search can draw points from it and a
 * model can learn over it: coordinate 0 says which candidate; each key a candidate lists with more
 * than one value is a categorical coordinate (the index of the value); each range is a continuous
 * coordinate on the range's unit scale (the logarithm for {@code scale: log}, and half a step
 * beyond each end for whole numbers, so that the ends are as likely as the rest). A coordinate of
 * another candidate than the point's is NaN. The mapping goes both ways: a recorded configuration
 * is in this space only if it names a candidate of today's spec (same label), has exactly that
 * candidate's keys, and each value is one of today's choices or within today's range.
 */
final class SearchSpace {
  /** One coordinate: whose and which key, and its list of choices or its range. */
  private record Coordinate(int candidate, GridKey key, List<Double> choices, GridRange range) {}

  private final List<CandidateSpec> candidates;
  private final List<Coordinate> coordinates = new ArrayList<>();
  private final List<Dimension> dimensions = new ArrayList<>();

  SearchSpace(List<CandidateSpec> candidates) {
    this.candidates = List.copyOf(candidates);
    coordinates.add(null);
    dimensions.add(Dimension.categorical(candidates.size(), Dimension.ALWAYS));
    for (int i = 0; i < candidates.size(); i++) {
      CandidateSpec candidate = candidates.get(i);
      for (Map.Entry<GridKey, List<Double>> entry : candidate.grid().entrySet()) {
        if (entry.getValue().size() > 1) {
          coordinates.add(new Coordinate(i, entry.getKey(), entry.getValue(), null));
          dimensions.add(Dimension.categorical(entry.getValue().size(), i));
        }
      }
      for (Map.Entry<GridKey, GridRange> entry : candidate.ranges().entrySet()) {
        GridRange range = entry.getValue();
        coordinates.add(new Coordinate(i, entry.getKey(), null, range));
        dimensions.add(Dimension.continuous(range.unitLow(), range.unitHigh(), i));
      }
    }
  }

  List<Dimension> dimensions() {
    return List.copyOf(dimensions);
  }

  /** The configuration at coordinates {@code x}. */
  KFoldSearch.Point point(double[] x) {
    int index = (int) x[0];
    CandidateSpec candidate = candidates.get(index);
    Map<GridKey, Double> params = new LinkedHashMap<>();
    candidate.grid().forEach((key, values) -> params.put(key, values.get(0)));
    for (int d = 1; d < coordinates.size(); d++) {
      Coordinate coordinate = coordinates.get(d);
      if (coordinate.candidate() != index) {
        continue;
      }
      double value =
          coordinate.range() == null
              ? coordinate.choices().get((int) x[d])
              : coordinate.range().fromUnit(x[d]);
      params.put(coordinate.key(), value);
    }
    return new KFoldSearch.Point(index, candidate, params);
  }

  /**
   * The coordinates of candidate {@code index} with {@code params}, or null when they are not in
   * this space.
   */
  double[] coordinates(int index, Map<GridKey, Double> params) {
    CandidateSpec candidate = candidates.get(index);
    Set<GridKey> keys = new HashSet<>(candidate.grid().keySet());
    keys.addAll(candidate.ranges().keySet());
    if (!keys.equals(params.keySet())) {
      return null;
    }
    for (Map.Entry<GridKey, List<Double>> entry : candidate.grid().entrySet()) {
      if (!entry.getValue().contains(params.get(entry.getKey()))) {
        return null;
      }
    }
    double[] x = new double[coordinates.size()];
    x[0] = index;
    for (int d = 1; d < coordinates.size(); d++) {
      Coordinate coordinate = coordinates.get(d);
      if (coordinate.candidate() != index) {
        x[d] = Double.NaN;
        continue;
      }
      double value = params.get(coordinate.key());
      if (coordinate.range() == null) {
        x[d] = coordinate.choices().indexOf(value);
      } else if (coordinate.range().contains(value)) {
        x[d] = coordinate.range().toUnit(value);
      } else {
        return null;
      }
    }
    return x;
  }

  /**
   * A recorded configuration ({@code tuning_trials.config_key} and {@code params}) in this space:
   * the first candidate with its label whose space holds the values; null when none does.
   */
  KFoldSearch.Point recorded(String configKey, Map<String, String> recordedParams) {
    Map<GridKey, Double> params = parse(recordedParams);
    int brace = configKey.indexOf(" {");
    if (params == null || brace < 0) {
      return null;
    }
    String label = configKey.substring(0, brace);
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).label().equals(label)) {
        double[] x = coordinates(i, params);
        if (x != null) {
          return new KFoldSearch.Point(i, candidates.get(i), params);
        }
      }
    }
    return null;
  }

  /** A recorded configuration from its key alone, e.g. {@code linear/squared {reg_param=0.1}}. */
  KFoldSearch.Point recorded(String configKey) {
    int brace = configKey.indexOf(" {");
    if (brace < 0 || !configKey.endsWith("}")) {
      return null;
    }
    String body = configKey.substring(brace + 2, configKey.length() - 1);
    Map<String, String> params = new TreeMap<>();
    if (!body.isBlank()) {
      for (String pair : body.split(", ")) {
        int equals = pair.indexOf('=');
        if (equals < 0) {
          return null;
        }
        params.put(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return recorded(configKey, params);
  }

  /** A uniformly random configuration: a candidate, then each of its coordinates. */
  KFoldSearch.Point uniform(Random random) {
    double[] x = new double[dimensions.size()];
    x[0] = random.nextInt(candidates.size());
    for (int d = 1; d < dimensions.size(); d++) {
      Dimension dimension = dimensions.get(d);
      if (coordinates.get(d).candidate() != (int) x[0]) {
        x[d] = Double.NaN;
      } else if (dimension.categorical()) {
        x[d] = random.nextInt(dimension.choices());
      } else {
        x[d] = dimension.low() + random.nextDouble() * (dimension.high() - dimension.low());
      }
    }
    return point(x);
  }

  private static Map<GridKey, Double> parse(Map<String, String> recorded) {
    Map<GridKey, Double> params = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : recorded.entrySet()) {
      GridKey key = gridKey(entry.getKey());
      if (key == null) {
        return null;
      }
      try {
        params.put(key, Double.parseDouble(entry.getValue()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return params;
  }

  private static GridKey gridKey(String name) {
    for (GridKey key : GridKey.values()) {
      if (key.key().equals(name)) {
        return key;
      }
    }
    return null;
  }
}
