package io.nightjar.registry;

import java.util.Map;

/**
 * What reproduces a {@link ModelVersion}: its artifact directory ({@code uri}, the fitted pipeline
 * and {@code spec.yaml}), the versions of the packages it was trained with, and the spec's text and
 * SHA-256.
 */
public record Artifact(
    String uri, Map<String, String> packages, String specYaml, String specSha256) {
  public Artifact {
    packages = Map.copyOf(packages);
  }
}
