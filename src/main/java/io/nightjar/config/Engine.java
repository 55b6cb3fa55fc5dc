package io.nightjar.config;

/** The library that fits a {@link Family#GBT} model; linear models have no engine choice. */
public enum Engine {
  XGBOOST,
  MLLIB
}
