package io.nightjar.registry;

/**
 * One registered model version: a row of the {@code model_versions} table (docs/tables.md), its
 * columns grouped by what they say. {@link ModelVersionsTable} turns it into a row and back.
 */
public record ModelVersion(
    String modelName,
    int version,
    Provenance provenance,
    Recipe recipe,
    FeatureSchema schema,
    TrainingData trainingData,
    Evaluation evaluation,
    TrainingCost cost,
    Artifact artifact) {
  /** The same version with another number (the registry allocates numbers). */
  public ModelVersion withVersion(int newVersion) {
    return new ModelVersion(
        modelName,
        newVersion,
        provenance,
        recipe,
        schema,
        trainingData,
        evaluation,
        cost,
        artifact);
  }
}
