package io.nightjar.config;

/**
 * How the tuner walks the candidates' grids: every point ({@code grid}), a seeded sample ({@code
 * random}), successive halving ({@code halving}) or a model of the metric fitted on the trials so
 * far, past nights' included with warm start ({@code bayes}).
 */
public enum Search {
  GRID,
  RANDOM,
  HALVING,
  BAYES
}
