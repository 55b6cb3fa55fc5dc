package io.nightjar.config;

/** Model families of SPEC §5. */
public enum Family {
  GBT,
  LINEAR
}
