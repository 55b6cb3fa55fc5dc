package io.nightjar.config;

/**
 * Model families a spec's candidates may name ({@code candidates[i].family},
 * docs/configuration.md).
 */
public enum Family {
  GBT,
  LINEAR
}
