package io.nightjar.config;

/** What a model predicts: a number, or the probability of the positive class of a binary label. */
public enum Task {
  REGRESSION,
  CLASSIFICATION
}
