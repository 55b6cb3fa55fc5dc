package io.nightjar.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;

/**
 * Model artifacts: one self-contained directory per training run under the {@code artifacts} root
 * (any Hadoop URI), holding the fitted Spark ML pipeline (feature preparation included) and the
 * spec it was trained from. A directory is keyed by run id, not version, so it is written
 * completely before the registry gives it a version; a run that dies leaves at most an unreferenced
 * directory, never a version without an artifact.
 */
public final class ArtifactStore {
  static final String PIPELINE = "pipeline";
  static final String SPEC = "spec.yaml";
  public static final String BASELINE = "baseline.json";
  public static final String DIAGNOSTICS = "diagnostics.json";

  private final String root;
  private final Configuration hadoop;

  public ArtifactStore(String root, Configuration hadoop) {
    this.root = root.replaceAll("/+$", "");
    this.hadoop = hadoop;
  }

  /** Saves {@code model} for {@code runId} and returns the artifact URI. */
  public String save(String model, String runId, PipelineModel pipeline, String specYaml) {
    String uri = root + "/" + model + "/" + runId;
    try {
      pipeline.write().overwrite().save(uri + "/" + PIPELINE);
      Path spec = new Path(uri, SPEC);
      try (FSDataOutputStream out = spec.getFileSystem(hadoop).create(spec, true)) {
        out.write(specYaml.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot save the artifact of model '" + model + "' under " + uri, e);
    }
    return uri;
  }

  /**
   * Writes a document next to the pipeline of the artifact at {@code uri}: {@link #BASELINE}
   * (training-time distributions) or {@link #DIAGNOSTICS} (holdout sample and feature importance,
   * for reports).
   */
  public void saveDocument(String uri, String name, String text) {
    Path file = new Path(uri, name);
    try (FSDataOutputStream out = file.getFileSystem(hadoop).create(file, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + name + " into the artifact " + uri, e);
    }
  }

  /**
   * The document {@code name} of {@code version}'s artifact, if it has one (older versions may
   * not).
   */
  public Optional<String> loadDocument(ModelVersion version, String name) {
    Path file = new Path(version.artifact().uri(), name);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (var in = fs.open(file)) {
        return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw unreadable(version, e);
    }
  }

  /**
   * Loads the pipeline of {@code version}.
   *
   * @throws RegistryException naming model, version and URI when the artifact is missing or
   *     unreadable
   */
  public PipelineModel load(ModelVersion version) {
    String uri = version.artifact().uri();
    Path pipeline = new Path(uri, PIPELINE);
    try {
      FileSystem fs = pipeline.getFileSystem(hadoop);
      if (!fs.exists(pipeline)) {
        throw RegistryErrors.artifactMissing(version);
      }
    } catch (IOException e) {
      throw unreadable(version, e);
    }
    try {
      return PipelineModel.load(pipeline.toString());
    } catch (Exception e) {
      // Also checked ones: Spark's SparkException (e.g. a checksum error) reaches Java undeclared
      // from Scala.
      throw unreadable(version, e);
    }
  }

  private static RegistryException unreadable(ModelVersion version, Exception cause) {
    return RegistryErrors.artifactUnreadable(version, rootMessage(cause), cause);
  }

  /**
   * The first line of the innermost cause's message: Spark wraps the real reason in a long
   * stage-failure text.
   */
  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }
}
