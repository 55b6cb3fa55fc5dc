package io.nightjar.registry;

/**
 * The registry's user errors, built in one place so that each sentence is written once: what is
 * wrong, naming the model, version or artifact, and what would be valid. Each method returns the
 * exception for the caller to throw.
 */
public final class RegistryErrors {
  private RegistryErrors() {}

  /** A model name that no version was registered under. */
  public static RegistryException unknownModel(String model) {
    return new RegistryException(
        String.format("Unknown model '%s': it has no registered versions.", model));
  }

  /** A model name asked for on a warehouse whose registry has no tables yet. */
  public static RegistryException noModelsRegistered(String model) {
    return new RegistryException(
        String.format("Unknown model '%s': no models are registered yet.", model));
  }

  /** A version number beyond {@code model}'s versions 1 to {@code latest}. */
  static RegistryException unknownVersion(String model, int version, int latest) {
    return new RegistryException(
        String.format(
            "Unknown version %d of model '%s': its versions are 1 to %d.", version, model, latest));
  }

  /** The artifact directory of {@code version} has no pipeline. */
  static RegistryException artifactMissing(ModelVersion version) {
    return new RegistryException(
        String.format(
            "Cannot load model '%s' version %d: its artifact '%s' is missing.",
            version.modelName(), version.version(), version.artifact().uri()));
  }

  /**
   * The artifact of {@code version} cannot be read; {@code reason} is the first line of the
   * innermost cause.
   */
  static RegistryException artifactUnreadable(
      ModelVersion version, String reason, Exception cause) {
    return new RegistryException(
        String.format(
            "Cannot load model '%s' version %d: its artifact '%s' is unreadable (%s).",
            version.modelName(), version.version(), version.artifact().uri(), reason),
        cause);
  }
}
