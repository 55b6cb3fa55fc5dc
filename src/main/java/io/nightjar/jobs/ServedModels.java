package io.nightjar.jobs;

import io.nightjar.config.ModelSpec;
import io.nightjar.config.TableName;
import io.nightjar.lookup.ServedModel;
import io.nightjar.registry.RegistryView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which models {@code serve} answers for: every registered model whose spec ({@link
 * SpecResolver#forExisting}: the spec file if there is one, else the spec recorded with its
 * production version) has a {@code scoring} section.
 */
public final class ServedModels {
  private ServedModels() {}

  /**
   * The served models, by name; {@code skipped} receives one line per registered model that is left
   * out.
   */
  public static List<ServedModel> find(JobContext context, PrintWriter skipped) {
    return find(context, context.registry(), name -> true, skipped);
  }

  /**
   * The served models among the registered ones that {@code consider} accepts, with the registry
   * read through {@code registry}: {@code serve} asks at every check for the models it has not seen
   * yet, reading the registry without Spark so the check stays cheap. {@code skipped} receives one
   * line per considered model that is left out.
   */
  public static List<ServedModel> find(
      JobContext context, RegistryView registry, Predicate<String> consider, PrintWriter skipped) {
    SpecResolver resolver = new SpecResolver(context);
    List<ServedModel> out = new ArrayList<>();
    for (String name : registry.models()) {
      if (!consider.test(name)) {
        continue;
      }
      ModelSpec spec;
      try {
        spec = resolver.forExisting(name, registry);
      } catch (RuntimeException e) {
        skipped.printf("[serve] not serving %s: %s%n", name, e.getMessage());
        continue;
      }
      if (spec.scoring() == null) {
        skipped.printf("[serve] not serving %s: its spec has no 'scoring' section%n", name);
        continue;
      }
      TableName table = new TableName(context.env().database(), spec.scoring().output());
      out.add(
          new ServedModel(
              name, spec.task(), spec.data().id(), table, context.warehouse().location(table)));
    }
    skipped.flush();
    return out;
  }
}
