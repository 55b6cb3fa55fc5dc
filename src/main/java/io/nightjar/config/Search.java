package io.nightjar.config;

/** How the tuner walks a candidate's grid. */
public enum Search {
  GRID,
  RANDOM,
  HALVING
}
