package io.nightjar.online;

import java.util.Optional;
import java.util.function.BiFunction;
import org.apache.spark.ml.Transformer;

/**
 * Compiles fitted pipeline stages of the classes it knows into {@link RowStage}s. A compiler reads
 * everything it needs from the stage once (coefficients, labels, surrogates; reading may run a
 * small Spark job), asks {@code columns} for the columns the stage reads and declares the ones it
 * writes. {@link RowScorers#compile} tries the caller's compilers first, then the built-in ones.
 * Implementations are stateless.
 */
public interface StageCompiler {
  /**
   * The row function of {@code stage}, or empty when this compiler does not know its class.
   *
   * @throws UnsupportedStageException when it knows the class but not this configuration of it (the
   *     message names the stage's class, uid and the setting)
   */
  Optional<RowStage> find(Transformer stage, RowColumns columns);

  /**
   * The compiler of one stage class: it gives {@code compile}'s row function for a stage of class
   * {@code type} (or a subclass), and is empty for any other stage.
   */
  static <T extends Transformer> StageCompiler of(
      Class<T> type, BiFunction<? super T, RowColumns, RowStage> compile) {
    return (stage, columns) ->
        type.isInstance(stage)
            ? Optional.of(compile.apply(type.cast(stage), columns))
            : Optional.empty();
  }
}
