package io.nightjar.registry;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.nightjar.spark.DeltaRetry;
import io.nightjar.spark.Warehouse;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The model registry on Delta tables: versions ({@link ModelVersionsTable}), where each alias
 * points now ({@link ModelAliasesTable}), and the append-only history of every move ({@link
 * ModelEventsTable}). Version numbers are consecutive per model and allocated with a conditional
 * MERGE, so concurrent registrations get distinct numbers and a lost race is retried with the next
 * number. A registry table that no job has created yet reads as empty.
 *
 * <p>Writes always go through Spark. Reads go through Spark too, unless a reader is given: jobs
 * answer their look-ups with a Delta Kernel reader (io.nightjar.kernel), which reads a small table
 * in tens of milliseconds where a Spark query takes a second or more (issue 18). The writes'
 * guarantees never rest on a read: a registration is a conditional MERGE and a move of the aliases
 * claims its commit number, whichever way the state they decided on was read.
 */
public final class ModelRegistry implements RegistryView {
  private final ModelVersionsTable versions;
  private final ModelAliasesTable aliases;
  private final ModelEventsTable events;
  private final Supplier<? extends RegistryView> reads;

  /** A registry read and written through Spark. */
  public ModelRegistry(Warehouse warehouse, String database) {
    this(warehouse, database, null);
  }

  /**
   * A registry written through Spark and read through a new reader from {@code reads} at each
   * question (each reader sees the tables as they are when it first reads them); null: through
   * Spark.
   */
  public ModelRegistry(
      Warehouse warehouse, String database, Supplier<? extends RegistryView> reads) {
    this.versions = new ModelVersionsTable(warehouse, database);
    this.aliases = new ModelAliasesTable(warehouse, database);
    this.events = new ModelEventsTable(warehouse, database);
    this.reads = reads != null ? reads : SparkReads::new;
  }

  /** Creates the registry tables when missing. */
  public void ensureTables() {
    versions.ensureTable();
    aliases.ensureTable();
    events.ensureTable();
  }

  /** True once a job has created the registry's tables (even if no version is registered yet). */
  @Override
  public boolean tablesExist() {
    return reads.get().tablesExist();
  }

  /**
   * Registers {@code draft} under the next free version number of its model and returns that
   * number. Safe under concurrent registrations of the same model: distinct trainings get distinct
   * numbers, and of two runs of the same training (same model, logical date, spec and training data
   * version, e.g. a scheduler's retry started while the first attempt still ran) only the first
   * registers; the other gets the first one's number, which tells it apart from its own by the run
   * id.
   */
  public int register(ModelVersion draft) {
    for (int attempt = 0; attempt < DeltaRetry.ATTEMPTS * 4; attempt++) {
      int next = latestVersion(draft.modelName()) + 1;
      try {
        if (versions.insertIfNew(draft.withVersion(next))) {
          return next;
        }
      } catch (DeltaConcurrentModificationException e) {
        // another registration committed first: look again
      }
      Optional<ModelVersion> twin =
          findSameTraining(
              draft.modelName(),
              draft.provenance().logicalDate(),
              draft.artifact().specSha256(),
              draft.trainingData().deltaVersion());
      if (twin.isPresent()) {
        return twin.get().version();
      }
    }
    throw new IllegalStateException(
        "Cannot register model '"
            + draft.modelName()
            + "': too many concurrent registrations; try again.");
  }

  /** The highest version of {@code model}, 0 when it has none. */
  @Override
  public int latestVersion(String model) {
    return reads.get().latestVersion(model);
  }

  @Override
  public Optional<ModelVersion> find(String model, int version) {
    return reads.get().find(model, version);
  }

  /** Every version of {@code model}, oldest first. */
  @Override
  public List<ModelVersion> versions(String model) {
    return reads.get().versions(model);
  }

  @Override
  public Optional<ModelVersion> findSameTraining(
      String model, Date logicalDate, String specSha256, Long dataVersion) {
    return reads.get().findSameTraining(model, logicalDate, specSha256, dataVersion);
  }

  /** Names of every registered model, sorted. */
  @Override
  public List<String> models() {
    return reads.get().models();
  }

  /** Where each alias of {@code model} points now. */
  @Override
  public Map<String, Integer> aliases(String model) {
    return reads.get().aliases(model);
  }

  public Optional<Integer> alias(String model, String alias) {
    return Optional.ofNullable(aliases(model).get(alias));
  }

  /** {@code model}'s history, in commit order. */
  @Override
  public ModelHistory history(String model) {
    return reads.get().history(model);
  }

  /**
   * Decides and records a move of {@code model}'s aliases. {@code decide} sees the current history
   * and returns the events to append (none: nothing to do); they are appended as one commit that
   * claims the next commit number, so of two concurrent moves decided on the same history only one
   * lands and the other decides again on the new history. Then {@code model_aliases} is brought in
   * line with the history.
   *
   * @return the history after the commit
   */
  public ModelHistory commit(String model, Function<ModelHistory, List<ModelEvent>> decide) {
    for (int attempt = 0; attempt < DeltaRetry.ATTEMPTS * 4; attempt++) {
      ModelHistory history = history(model);
      List<ModelEvent> decided = decide.apply(history);
      if (decided.isEmpty() || events.append(model, history.lastCommit() + 1, decided)) {
        // The commit number was free, so nothing landed between the read and the append: extend in
        // memory.
        List<ModelEvent> all = new ArrayList<>(history.events());
        all.addAll(decided);
        ModelHistory after =
            decided.isEmpty() ? history : new ModelHistory(model, all, history.lastCommit() + 1);
        syncAliases(after);
        return after;
      }
    }
    throw new IllegalStateException(
        "Cannot change the aliases of model '"
            + model
            + "': too many concurrent changes; try again.");
  }

  /**
   * Points {@code model_aliases} where {@code history} says the aliases are (no commit when they
   * already do).
   */
  public void syncAliases(ModelHistory history) {
    Map<String, Integer> derived = new LinkedHashMap<>();
    history.production().ifPresent(v -> derived.put(ModelAliasesTable.PRODUCTION, v));
    history.candidate().ifPresent(v -> derived.put(ModelAliasesTable.CANDIDATE, v));
    if (!derived.equals(aliases(history.model()))) {
      aliases.set(history.model(), derived, history.lastCommit());
    }
  }

  /** The registry's answers through Spark queries on its tables. */
  private final class SparkReads implements RegistryView {
    @Override
    public boolean tablesExist() {
      return versions.exists();
    }

    @Override
    public List<String> models() {
      return versions.models();
    }

    @Override
    public List<ModelVersion> versions(String model) {
      return versions.versions(model);
    }

    @Override
    public Optional<ModelVersion> find(String model, int version) {
      return versions.find(model, version);
    }

    @Override
    public Optional<ModelVersion> findSameTraining(
        String model, Date logicalDate, String specSha256, Long dataVersion) {
      return versions.findSameTraining(model, logicalDate, specSha256, dataVersion);
    }

    @Override
    public int latestVersion(String model) {
      return versions.latestVersion(model);
    }

    @Override
    public Map<String, Integer> aliases(String model) {
      return aliases.aliases(model);
    }

    @Override
    public ModelHistory history(String model) {
      return events.history(model);
    }
  }
}
