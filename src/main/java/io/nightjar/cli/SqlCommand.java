package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.spark.LastingStatements;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sql "QUERY" ["QUERY"...]}: runs SQL against the warehouse catalog and prints each result.
 * Every statement is checked before the first one runs, so a statement whose effect would not
 * outlast the process is refused with nothing run ({@link LastingStatements}).
 */
@Command(name = "sql", description = "Run SQL statements against the warehouse catalog, in order.")
final class SqlCommand extends Subcommand {
  @Parameters(
      arity = "1..*",
      paramLabel = "QUERY",
      description = "Spark SQL statements, run in order.")
  List<String> queries;

  @Mixin FormatOption output;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = "Print at most N rows of each result (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int maxRows;

  @Override
  int run(PrintWriter out) {
    var spark = context().spark();
    for (String query : queries) {
      analysed(() -> LastingStatements.check(spark, query));
    }
    for (String query : queries) {
      List<Dataset<Row>> result = new ArrayList<>(1);
      analysed(() -> result.add(spark.sql(query)));
      print(result.get(0), out);
    }
    return ExitCodes.OK;
  }

  /**
   * Spark throws AnalysisException (a checked exception javac cannot see) for unknown tables, bad
   * syntax, ...
   */
  private interface Step {
    void run() throws Exception;
  }

  private static void analysed(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      if (e instanceof AnalysisException analysis) {
        String first = analysis.getSimpleMessage().split("\n")[0].strip();
        throw new ConfigException("Invalid query: " + first + (first.endsWith(".") ? "" : "."), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
  }

  private void print(Dataset<Row> result, PrintWriter out) {
    List<String> columns = Arrays.asList(result.columns());
    if (columns.isEmpty()) {
      return;
    }
    List<Row> rows = result.limit(maxRows + 1).collectAsList();
    boolean truncated = rows.size() > maxRows;
    RowPrinter.print(
        out, output.format, columns, SparkRows.values(truncated ? rows.subList(0, maxRows) : rows));
    if (truncated) {
      cli.spec
          .commandLine()
          .getErr()
          .println("(output cut at " + maxRows + " rows; raise --max-rows to see more)");
    }
  }
}
