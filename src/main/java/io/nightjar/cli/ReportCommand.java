package io.nightjar.cli;

import io.nightjar.jobs.JobContext;
import io.nightjar.jobs.ReportJob;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code report --model NAME [--version N]}. */
@Command(
    name = "report",
    description =
        "Write the HTML reports of a version (default: production) under the environment's reports directory:"
            + " training.html (tuning, feature importance, holdout, comparison with production) and monitoring.html"
            + " (quality on delayed labels, drift, job timings). Self-contained files that open offline.")
final class ReportCommand extends ModelCommand {
  @Option(
      names = "--version",
      paramLabel = "N",
      description = "Version to report on (default: production).")
  Integer version;

  @Override
  int run(JobContext context, String name, PrintWriter out) {
    ReportJob.Written written = new ReportJob(context).run(name, version);
    out.println(written.training());
    out.println(written.monitoring());
    return ExitCodes.OK;
  }
}
