package io.nightjar.lookup;

/** The routes of {@code serve}, as the {@code route} label of its metrics names them. */
enum Route {
  /** {@code GET /v1/models/{name}/predictions/{id}}. */
  PREDICTION("prediction"),
  /** {@code GET /v1/models/{name}/versions/{v}/predictions/{id}}. */
  VERSION_PREDICTION("version_prediction"),
  /** {@code POST /v1/models/{name}/predict}. */
  PREDICT("predict"),
  HEALTHZ("healthz"),
  METRICS("metrics"),
  /** A path no route matches. */
  NONE("none");

  private final String label;

  Route(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
