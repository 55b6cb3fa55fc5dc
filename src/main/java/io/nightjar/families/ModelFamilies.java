package io.nightjar.families;

import io.nightjar.config.CandidateSpec;
import io.nightjar.config.Engine;
import io.nightjar.config.Family;
import io.nightjar.config.ModelSpec;
import io.nightjar.model.LinearFamily;
import io.nightjar.model.MllibGbtFamily;
import io.nightjar.model.ModelFamily;
import io.nightjar.xgboost.XGBoostFamily;

/** Finds the {@link ModelFamily} for a candidate and checks that a whole spec can be trained. */
public final class ModelFamilies {
  private static final ModelFamily LINEAR = new LinearFamily();
  private static final ModelFamily XGBOOST = new XGBoostFamily();
  private static final ModelFamily MLLIB_GBT = new MllibGbtFamily();

  private ModelFamilies() {}

  public static ModelFamily of(CandidateSpec candidate) {
    if (candidate.family() == Family.LINEAR) {
      return LINEAR;
    }
    return candidate.engine() == Engine.MLLIB ? MLLIB_GBT : XGBOOST;
  }

  /** Checks every candidate of {@code spec}; errors name the candidate's key path. */
  public static void check(ModelSpec spec) {
    for (int i = 0; i < spec.candidates().size(); i++) {
      CandidateSpec candidate = spec.candidates().get(i);
      of(candidate).check("candidates[" + i + "]", candidate);
    }
  }
}
