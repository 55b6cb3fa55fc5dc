package io.nightjar.config;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * The engine-neutral grid keys of a spec (docs/configuration.md, "Grid keys"), the values each
 * accepts, and which families and engines can use it. A key a family or engine cannot use is a
 * config error rather than a silently ignored setting.
 */
public enum GridKey {
  NUM_TREES(true, v -> v >= 1, "a whole number of at least 1", Target.GBT_ANY),
  MAX_DEPTH(true, v -> v >= 1 && v <= 30, "a whole number from 1 to 30", Target.GBT_ANY),
  LEARNING_RATE(false, v -> v > 0 && v <= 1, "a number in (0, 1]", Target.GBT_ANY),
  SUBSAMPLE(false, v -> v > 0 && v <= 1, "a number in (0, 1]", Target.GBT_ANY),
  MIN_INSTANCES_PER_NODE(true, v -> v >= 1, "a whole number of at least 1", Target.GBT_ANY),
  MAX_BINS(true, v -> v >= 2, "a whole number of at least 2", Target.GBT_ANY),
  REG_PARAM(
      false, v -> v >= 0, "a number of at least 0", EnumSet.of(Target.LINEAR, Target.GBT_XGBOOST)),
  ELASTIC_NET(false, v -> v >= 0 && v <= 1, "a number in [0, 1]", EnumSet.of(Target.LINEAR)),
  EPSILON(
      false, v -> v > 1, "a number greater than 1", EnumSet.of(Target.LINEAR, Target.GBT_XGBOOST));

  /** Where a key can be used. */
  public enum Target {
    LINEAR,
    GBT_XGBOOST,
    GBT_MLLIB;

    static final Set<Target> GBT_ANY = EnumSet.of(GBT_XGBOOST, GBT_MLLIB);

    public static Target of(Family family, Engine engine) {
      if (family == Family.LINEAR) {
        return LINEAR;
      }
      return engine == Engine.MLLIB ? GBT_MLLIB : GBT_XGBOOST;
    }
  }

  private final boolean whole;
  private final DoublePredicate valid;
  private final String range;
  private final Set<Target> targets;

  GridKey(boolean whole, DoublePredicate valid, String range, Set<Target> targets) {
    this.whole = whole;
    this.valid = valid;
    this.range = range;
    this.targets = targets;
  }

  /** The spelling in YAML, e.g. {@code num_trees}. */
  public String key() {
    return Choices.name(this);
  }

  public boolean usableBy(Target target) {
    return targets.contains(target);
  }

  /** Whether the key takes whole numbers only (a range of it draws whole numbers). */
  public boolean whole() {
    return whole;
  }

  public boolean accepts(double value) {
    return (!whole || value == Math.rint(value)) && valid.test(value);
  }

  public String range() {
    return range;
  }
}
