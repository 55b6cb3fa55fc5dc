package io.nightjar.xgboost;

import java.io.Serializable;
import java.util.ArrayList;

/**
 * Every fold's prepared training and validation rows in memory, index = fold; broadcast to the fit
 * tasks. A class, not a record, so that Kryo can serialise it too ({@link RowMatrix}).
 */
final class FoldMatrices implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<RowMatrix> train;
  private final ArrayList<RowMatrix> validation;

  FoldMatrices(ArrayList<RowMatrix> train, ArrayList<RowMatrix> validation) {
    this.train = train;
    this.validation = validation;
  }

  ArrayList<RowMatrix> train() {
    return train;
  }

  ArrayList<RowMatrix> validation() {
    return validation;
  }
}
