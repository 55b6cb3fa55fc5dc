package io.nightjar.train.tuning;

import java.io.Serializable;
import java.util.ArrayList;

/** Every fold's prepared training and validation rows in memory, index = fold; broadcast to the fit tasks. */
record FoldMatrices(ArrayList<RowMatrix> train, ArrayList<RowMatrix> validation) implements Serializable {}
