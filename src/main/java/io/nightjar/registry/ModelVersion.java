package io.nightjar.registry;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

/**
 * One registered model version: every column of the {@code model_versions} table (docs/tables.md).
 * {@code engine}, {@code quantile}, {@code weightCol} and {@code trainingDataVersion} may be null.
 */
public record ModelVersion(
    String modelName,
    int version,
    String runId,
    Timestamp createdAt,
    Date logicalDate,
    String author,
    String task,
    String family,
    String engine,
    String loss,
    Double quantile,
    Map<String, String> params,
    List<String> features,
    List<String> categorical,
    String idCol,
    String label,
    String weightCol,
    String trainingSource,
    Long trainingDataVersion,
    long trainingRows,
    long holdoutRows,
    String cvMetric,
    double cvMean,
    double cvStd,
    Map<String, Double> holdoutMetrics,
    double tuningSeconds,
    double trainSeconds,
    boolean budgetExhausted,
    String artifactUri,
    Map<String, String> packages,
    String specYaml,
    String specSha256) {
  public ModelVersion {
    params = Map.copyOf(params);
    features = List.copyOf(features);
    categorical = List.copyOf(categorical);
    holdoutMetrics = Map.copyOf(holdoutMetrics);
    packages = Map.copyOf(packages);
  }

  /** The same version with another number (the registry allocates numbers). */
  public ModelVersion withVersion(int newVersion) {
    return new ModelVersion(
        modelName,
        newVersion,
        runId,
        createdAt,
        logicalDate,
        author,
        task,
        family,
        engine,
        loss,
        quantile,
        params,
        features,
        categorical,
        idCol,
        label,
        weightCol,
        trainingSource,
        trainingDataVersion,
        trainingRows,
        holdoutRows,
        cvMetric,
        cvMean,
        cvStd,
        holdoutMetrics,
        tuningSeconds,
        trainSeconds,
        budgetExhausted,
        artifactUri,
        packages,
        specYaml,
        specSha256);
  }
}
