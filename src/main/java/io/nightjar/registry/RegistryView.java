package io.nightjar.registry;

import java.sql.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's answers to questions (no writes): what {@code nightjar models} and other look-ups
 * ask. {@link ModelRegistry} answers through Spark; io.nightjar.kernel's reader answers the same
 * from the same tables without a SparkSession. A registry table that no job has created yet reads
 * as empty.
 */
public interface RegistryView {
  /** True once a job has created the registry's tables (even if no version is registered yet). */
  boolean tablesExist();

  /** Names of every registered model, sorted. */
  List<String> models();

  /** Every version of {@code model}, oldest first. */
  List<ModelVersion> versions(String model);

  Optional<ModelVersion> find(String model, int version);

  /** The highest version of {@code model}, 0 when it has none. */
  int latestVersion(String model);

  /** Where each alias of {@code model} points now, by alias name. */
  Map<String, Integer> aliases(String model);

  /** {@code model}'s history, in commit order. */
  ModelHistory history(String model);

  /**
   * The version registered for the same logical date, spec and training data version, if any (the
   * rerun of a train job); the highest when there are several. A null spec hash matches nothing.
   */
  default Optional<ModelVersion> findSameTraining(
      String model, Date logicalDate, String specSha256, Long dataVersion) {
    Optional<ModelVersion> found = Optional.empty();
    for (ModelVersion version : versions(model)) { // oldest first: the last match is the highest
      if (version.provenance().logicalDate().toLocalDate().equals(logicalDate.toLocalDate())
          && specSha256 != null
          && specSha256.equals(version.artifact().specSha256())
          && Objects.equals(dataVersion, version.trainingData().deltaVersion())) {
        found = Optional.of(version);
      }
    }
    return found;
  }

  /**
   * Checks that {@code model} has a registered version.
   *
   * @throws RegistryException ("Unknown model ...") when it has none
   */
  default void requireModel(String model) {
    if (latestVersion(model) == 0) {
      throw RegistryErrors.unknownModel(model);
    }
  }

  /**
   * The version of {@code model} numbered {@code version}.
   *
   * @throws RegistryException naming the model and its known versions when there is none
   */
  default ModelVersion require(String model, int version) {
    return find(model, version)
        .orElseThrow(
            () ->
                latestVersion(model) == 0
                    ? RegistryErrors.unknownModel(model)
                    : RegistryErrors.unknownVersion(model, version, latestVersion(model)));
  }
}
