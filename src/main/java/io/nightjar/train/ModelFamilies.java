package io.nightjar.train;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Family;
import io.nightjar.config.ModelSpec;

/** Finds the {@link ModelFamily} for a candidate and checks that a whole spec can be trained. */
public final class ModelFamilies {
  private static final ModelFamily LINEAR = new LinearFamily();

  private ModelFamilies() {}

  public static ModelFamily of(CandidateSpec candidate) {
    if (candidate.family() == Family.LINEAR) {
      return LINEAR;
    }
    throw new ConfigException(
        String.format(
            "Invalid value for 'family': family %s is not available in this release; use linear.",
            Choices.name(candidate.family())));
  }

  /** Checks every candidate of {@code spec}; errors name the candidate's key path. */
  public static void check(ModelSpec spec) {
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      String key = "candidates[" + i + "]";
      ConfigException.check(
          candidate.family() == Family.LINEAR,
          "Invalid value for '%s.family': family %s is not available in this release; use linear.",
          key,
          Choices.name(candidate.family()));
      of(candidate).check(key, candidate);
    }
  }
}
