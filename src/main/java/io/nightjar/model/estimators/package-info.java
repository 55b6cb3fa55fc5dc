/**
 * Nightjar's own Spark ML estimators and transformers, for the losses that Spark MLlib and
 * XGBoost4J-Spark do not offer as they are: linear quantile regression, quantile trees whose
 * coverage holds on new rows, and hinge-loss classifiers with calibrated probabilities. Each fits
 * to a standard (or {@link org.apache.spark.ml.util.DefaultParamsWritable}) model, so a fitted
 * pipeline saves and loads like any Spark ML pipeline. This package imports nothing from Nightjar:
 * column names are params.
 */
package io.nightjar.model.estimators;
