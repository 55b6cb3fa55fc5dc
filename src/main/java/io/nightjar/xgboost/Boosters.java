package io.nightjar.xgboost;

import io.nightjar.online.RowScorers;
import io.nightjar.online.UnsupportedStageException;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.apache.spark.ml.Transformer;

/**
 * Copies of one fitted booster for scoring requests, each set to one native thread, taken in turn
 * by the calling threads.
 *
 * <p>Why copies: XGBoost predicts with an OpenMP team of all cores by default, and for one row the
 * team's start and spin-wait cost more than the prediction; on a serving machine those threads also
 * take the cores the network and the other requests need. The model's own booster keeps its
 * settings (the batch {@code transform} shares it), so each copy is made from its saved bytes,
 * which hold every tree and the objective exactly. {@code Booster.predict} is synchronized, so one
 * booster serves one thread at a time; a copy per core (up to four) lets requests score in
 * parallel. A copy is the Java booster itself (not the Scala wrapper, which frees its native
 * booster when garbage-collected), so the scorer holding it keeps it alive.
 */
final class Boosters {
  static final int MAX_COPIES = 4;

  private final BlockingQueue<Booster> idle;

  private Boosters(BlockingQueue<Booster> idle) {
    this.idle = idle;
  }

  /** {@code copies} copies of {@code booster}, one native thread each. */
  static Boosters forRows(ml.dmlc.xgboost4j.scala.Booster booster, Transformer stage, int copies) {
    BlockingQueue<Booster> idle = new ArrayBlockingQueue<>(copies);
    try {
      byte[] saved = booster.booster().toByteArray("ubj");
      for (int i = 0; i < copies; i++) {
        Booster copy = XGBoost.loadModel(saved);
        copy.setParam("nthread", 1);
        idle.add(copy);
      }
    } catch (XGBoostError | IOException e) {
      throw new UnsupportedStageException(
          String.format(
              "Cannot compile %s for online scoring: its booster could not be copied: %s",
              RowScorers.describe(stage), e.getMessage()));
    }
    return new Boosters(idle);
  }

  /**
   * A copy per core, at most {@link #MAX_COPIES}: each copy holds the whole model, and a large one
   * on a many-core machine would otherwise multiply its memory by the cores for little gain (a copy
   * answers a row in tens of microseconds, so a few copies keep up with many request threads).
   */
  static Boosters forRows(ml.dmlc.xgboost4j.scala.Booster booster, Transformer stage) {
    return forRows(
        booster, stage, Math.min(MAX_COPIES, Runtime.getRuntime().availableProcessors()));
  }

  /** The booster's outputs for each row of {@code matrix}, from whichever copy is free. */
  float[][] predict(DMatrix matrix, boolean margin) throws XGBoostError {
    Booster booster;
    try {
      booster = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for an XGBoost booster.", e);
    }
    try {
      return booster.predict(matrix, margin, 0);
    } finally {
      idle.add(booster);
    }
  }
}
