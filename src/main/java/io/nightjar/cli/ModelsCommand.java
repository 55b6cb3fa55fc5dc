package io.nightjar.cli;

import io.nightjar.config.Choices;
import io.nightjar.config.ConfigException;
import io.nightjar.config.Identifiers;
import io.nightjar.jobs.TrainJob;
import io.nightjar.kernel.KernelRegistry;
import io.nightjar.registry.Evaluation;
import io.nightjar.registry.ModelAliasesTable;
import io.nightjar.registry.ModelEvent;
import io.nightjar.registry.ModelHistory;
import io.nightjar.registry.ModelVersion;
import io.nightjar.registry.ModelVersionsTable;
import io.nightjar.registry.Recipe;
import io.nightjar.registry.RegistryErrors;
import io.nightjar.registry.RegistryView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code models [NAME] [--version N] [--history]}: models, their versions, aliases and metrics; one
 * version's metadata; or a model's history of alias moves.
 */
@Command(
    name = "models",
    description = {
      "List models, versions, aliases and metrics; show one version's metadata (--version) or a model's history of"
          + " registrations, promotions, rejections and rollbacks (--history).",
      "In table format, NAME alone shows its versions and then its history."
    })
final class ModelsCommand extends Subcommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model name.")
  String name;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Show every metadata column of version N.")
  Integer version;

  @Option(
      names = "--history",
      description = "Show the model's registry events (model_events), oldest first.")
  boolean history;

  @Mixin FormatOption output;

  @Override
  int run(PrintWriter out) {
    if ((version != null || history) && name == null) {
      throw new ConfigException(
          "Invalid " + (history ? "--history" : "--version") + ": give the model NAME too.");
    }
    if (version != null && history) {
      throw new ConfigException("Invalid options: use either --version N or --history, not both.");
    }
    // Delta Kernel reads the registry's tables directly: no SparkSession, no catalog, so the answer
    // does not wait for Spark's start nor for the warehouse's other tables.
    RegistryView registry = KernelRegistry.open(cli.environment());
    boolean any = registry.tablesExist();
    if (name != null) {
      Identifiers.modelName("NAME", name);
      if (!any) {
        throw RegistryErrors.noModelsRegistered(name);
      }
    }
    if (!any) {
      out.println(
          "No models are registered yet: run 'nightjar train --model SPEC' or 'nightjar demo'.");
      return ExitCodes.OK;
    }
    if (name == null) {
      listModels(registry, out);
    } else if (history) {
      listHistory(registry, out);
    } else if (version == null) {
      listVersions(registry, out);
      if (output.format == OutputFormat.TABLE) {
        out.println();
        out.println("history:");
        listHistory(registry, out);
      }
    } else {
      showVersion(registry.require(name, version), out);
    }
    return ExitCodes.OK;
  }

  private void listModels(RegistryView registry, PrintWriter out) {
    List<List<Object>> rows = new ArrayList<>();
    for (String model : registry.models()) {
      List<ModelVersion> versions = registry.versions(model);
      Map<String, Integer> aliases = registry.aliases(model);
      ModelVersion latest = versions.get(versions.size() - 1);
      Integer production = aliases.get(ModelAliasesTable.PRODUCTION);
      ModelVersion shown = production == null ? latest : versions.get(production - 1);
      rows.add(
          List.of(
              model,
              Choices.name(latest.recipe().task()),
              versions.size(),
              text(production),
              text(aliases.get(ModelAliasesTable.CANDIDATE)),
              latest.provenance().createdAt().toString(),
              Choices.name(shown.evaluation().cvMetric()),
              TrainJob.metrics(shown.evaluation().holdoutMetrics())));
    }
    RowPrinter.print(
        out,
        output.format,
        List.of(
            "model",
            "task",
            "versions",
            "production",
            "candidate",
            "latest_created_at",
            "metric",
            "holdout"),
        rows);
  }

  private void listVersions(RegistryView registry, PrintWriter out) {
    List<ModelVersion> versions = registry.versions(name);
    if (versions.isEmpty()) {
      throw RegistryErrors.unknownModel(name);
    }
    Map<String, Integer> aliases = registry.aliases(name);
    List<List<Object>> rows = new ArrayList<>();
    for (ModelVersion v : versions) {
      List<String> held = new ArrayList<>();
      aliases.forEach(
          (alias, number) -> {
            if (number == v.version()) {
              held.add(alias);
            }
          });
      Recipe recipe = v.recipe();
      Evaluation evaluation = v.evaluation();
      rows.add(
          List.of(
              v.version(),
              String.join(",", held),
              v.provenance().createdAt().toString(),
              text(v.provenance().logicalDate()),
              Choices.name(recipe.family())
                  + (recipe.engine() == null ? "" : "[" + Choices.name(recipe.engine()) + "]")
                  + "/"
                  + Choices.name(recipe.loss()),
              new TreeMap<>(recipe.params()).toString(),
              String.format(
                  "%s %.5g ± %.3g",
                  Choices.name(evaluation.cvMetric()), evaluation.cvMean(), evaluation.cvStd()),
              TrainJob.metrics(evaluation.holdoutMetrics())));
    }
    RowPrinter.print(
        out,
        output.format,
        List.of(
            "version", "aliases", "created_at", "logical_date", "model", "params", "cv", "holdout"),
        rows);
  }

  private void listHistory(RegistryView registry, PrintWriter out) {
    ModelHistory events = registry.history(name);
    if (events.events().isEmpty() && registry.latestVersion(name) == 0) {
      throw RegistryErrors.unknownModel(name);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (ModelEvent e : events.events()) {
      rows.add(
          Arrays.asList(
              e.at().toString(),
              e.event().sqlName(),
              e.version(),
              e.previousVersion(),
              e.actor(),
              e.reason(),
              output.format == OutputFormat.JSON
                  ? new TreeMap<>(e.metrics())
                  : TrainJob.metrics(e.metrics())));
    }
    RowPrinter.print(
        out,
        output.format,
        List.of("at", "event", "version", "previous_version", "actor", "reason", "metrics"),
        rows);
  }

  /** Every column of {@code model_versions} (docs/tables.md), one per line (or one JSON object). */
  private void showVersion(ModelVersion v, PrintWriter out) {
    Map<String, Object> columns = ModelVersionsTable.columns(v);
    List<String> names = new ArrayList<>(columns.keySet());
    List<Object> values = new ArrayList<>(columns.values());
    if (output.format == OutputFormat.TABLE) {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        rows.add(Arrays.asList(names.get(i), values.get(i)));
      }
      RowPrinter.print(out, output.format, List.of("field", "value"), rows);
    } else {
      RowPrinter.print(out, output.format, names, List.of(values));
    }
  }

  private static String text(Object value) {
    return value == null ? "-" : value.toString();
  }
}
