package io.nightjar.model.estimators;

import java.util.function.Function;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.MLReader;

/**
 * Loads a stage that a pipeline saved under the class name it had before it moved: Spark ML finds a
 * saved stage's class by the name in its metadata and calls that class's static {@code read()}, so
 * the old name keeps a class whose {@code read()} returns this reader. It reads the saved uid and
 * params into an instance of the class as it is now, as {@link DefaultParamsReader} does for the
 * current name.
 */
public final class MovedStageReader<T extends Params> extends MLReader<T> {
  private final Function<String, T> create;

  /**
   * @param create the stage's constructor from a uid
   */
  public MovedStageReader(Function<String, T> create) {
    this.create = create;
  }

  @Override
  public T load(String path) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, sc(), "");
    T stage = create.apply(metadata.uid());
    metadata.getAndSetParams(stage, scala.Option.empty());
    return stage;
  }
}
