package io.nightjar.cli;

import io.nightjar.jobs.DemoJob;
import java.io.PrintWriter;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo [--rows N] [--days D]}. */
@Command(
    name = "demo",
    description =
        "Make demo data sets and run the nightly pipeline (train, gate, score, evaluate) on the two demo models for D"
            + " simulated days.")
final class DemoCommand extends Subcommand {
  @Option(
      names = "--rows",
      paramLabel = "N",
      defaultValue = "20000",
      description = "Labelled rows per model and day (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--days",
      paramLabel = "D",
      defaultValue = "2",
      description = "Simulated days, ending today (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--last-day",
      paramLabel = "YYYY-MM-DD",
      description = "The last simulated day (default: today, UTC).")
  String lastDay;

  @Option(
      names = "--data-only",
      description =
          "Write the demo data sets for all the days and stop: no training, scoring or evaluation.")
  boolean dataOnly;

  @Override
  int run(PrintWriter out) {
    LocalDate last = NightjarCli.date(lastDay);
    var context = context();
    if (dataOnly) {
      new DemoJob(context).writeData(rows, days, last);
      out.printf(
          "demo data for %d days ending %s written to database '%s'%n",
          days, last, DemoJob.DATABASE);
      return ExitCodes.OK;
    }
    DemoJob.Outcome outcome = new DemoJob(context).run(rows, days, last);
    outcome.log().forEach(out::println);
    String database = context.env().database();
    out.println();
    out.println(
        "Tables are under "
            + context.env().warehouse()
            + " (database '"
            + database
            + "' for Nightjar, 'demo' for the demo data). Try:");
    for (var spec : outcome.specs()) {
      String view = database + "." + spec.scoring().output() + "_current";
      out.println(
          "  ./nightjar sql \"SELECT count(*) AS entities, avg(prediction) FROM " + view + "\"");
    }
    out.println(
        "  ./nightjar sql \"SELECT * FROM "
            + database
            + "."
            + outcome.specs().get(0).scoring().output()
            + "_current WHERE id = 42\"");
    out.println("  ./nightjar models");
    out.println("  ./nightjar models " + outcome.specs().get(0).name() + " --version 1");
    out.println("  ./nightjar models " + outcome.specs().get(0).name() + " --history");
    out.println(
        "  ./nightjar sql \"SELECT model_name, version, event, previous_version, reason FROM "
            + database
            + ".model_events ORDER BY model_name, seq, at\"");
    out.println("  ./nightjar report --model " + outcome.specs().get(0).name());
    out.println(
        "("
            + outcome.entities()
            + " entities per model; HTML reports of every version under "
            + context.env().reportsDir()
            + ")");
    return ExitCodes.OK;
  }
}
