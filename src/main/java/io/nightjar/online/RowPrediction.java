package io.nightjar.online;

/**
 * The row scorer's answer for one entity: the values of the batch output's {@code prediction} and
 * {@code probability} columns.
 *
 * @param probability P(label = 1) for classification, null for regression
 */
public record RowPrediction(double prediction, Double probability) {}
