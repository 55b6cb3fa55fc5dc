package io.nightjar.jobs;

import io.nightjar.config.ConfigException;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.config.Identifiers;
import io.nightjar.config.ModelSpec;
import io.nightjar.config.SpecLoader;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.RegistryView;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a {@code --model} argument into a spec (docs/configuration.md, "How --model finds a spec"):
 * a path is read as given; a name resolves to {@code <models>/NAME.yaml} when it exists, else, for
 * commands that need no new training, to the spec recorded with the model's production version (or
 * its latest version).
 */
public final class SpecResolver {
  private final EnvironmentConfig env;
  private final RegistryView registry;

  public SpecResolver(JobContext context) {
    this(context.env(), context.registry());
  }

  /**
   * Resolves with {@code env}'s models directory and {@code registry} (e.g. read without Spark).
   */
  public SpecResolver(EnvironmentConfig env, RegistryView registry) {
    this.env = env;
    this.registry = registry;
  }

  /** A spec for training: a path or a spec file in the models directory. */
  public ModelSpec forTraining(String model) {
    Path file = file(model);
    ConfigException.check(
        file != null,
        "Invalid --model '%s': no spec file '%s' exists; pass the path of a spec file or add one there.",
        model,
        env.modelsDir().resolve(model + ".yaml"));
    return SpecLoader.load(file, env.database());
  }

  /**
   * A spec for a command that uses an existing version: the spec file if there is one, else the
   * recorded spec.
   */
  public ModelSpec forExisting(String model) {
    return forExisting(model, registry);
  }

  /**
   * {@link #forExisting(String)} with the registry read through {@code registry} (e.g. without
   * Spark).
   */
  public ModelSpec forExisting(String model, RegistryView registry) {
    Path file = file(model);
    if (file != null) {
      return SpecLoader.load(file, env.database());
    }
    Integer production = registry.aliases(model).get(ModelAliasesTable.PRODUCTION);
    int version = production != null ? production : registry.latestVersion(model);
    ModelVersion recorded = registry.require(model, version);
    return SpecLoader.parse(
        recorded.artifact().specYaml(),
        "model " + model + " version " + version + " (recorded spec)",
        env.database());
  }

  /**
   * The model a {@code --model} argument names: the argument itself, or the {@code name} of the
   * spec file it is.
   */
  public String modelName(String model) {
    return modelName(env, model);
  }

  /** {@link #modelName(String)} in {@code env}, without a registry (it reads spec files only). */
  public static String modelName(EnvironmentConfig env, String model) {
    if (looksLikePath(model)) {
      return SpecLoader.load(Path.of(model), env.database()).name();
    }
    return Identifiers.modelName("--model", model);
  }

  private static boolean looksLikePath(String model) {
    return model.contains("/") || model.endsWith(".yaml") || model.endsWith(".yml");
  }

  /** The spec file {@code model} names, or null when it is a bare name without a file. */
  private Path file(String model) {
    if (looksLikePath(model)) {
      return Path.of(model);
    }
    Path named = env.modelsDir().resolve(model + ".yaml");
    return Files.isRegularFile(named) ? named : null;
  }
}
