package io.nightjar.lookup;

import static java.util.Objects.requireNonNull;

/** One answer of the HTTP lookup: the prediction and where it came from. */
public record ServedPrediction(Prediction prediction, PredictionSource source) {
  public ServedPrediction {
    requireNonNull(prediction, "prediction is null");
    requireNonNull(source, "source is null");
  }
}
