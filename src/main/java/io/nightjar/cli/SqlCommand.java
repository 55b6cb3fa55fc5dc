package io.nightjar.cli;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code sql "QUERY"}: runs SQL against the warehouse catalog and prints the result. */
@Command(name = "sql", description = "Run SQL against the warehouse catalog.")
final class SqlCommand implements Callable<Integer> {
  @ParentCommand NightjarCli cli;

  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "QUERY", description = "A Spark SQL statement.")
  String query;

  @Mixin FormatOption output;

  @Option(
      names = "--max-rows",
      paramLabel = "N",
      description = "Print at most N rows (default: ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int maxRows;

  @Override
  public Integer call() {
    var spark = cli.context().spark();
    Dataset<Row> result;
    try {
      result = spark.sql(query);
    } catch (Exception e) {
      // Spark throws AnalysisException (a checked exception javac cannot see) for unknown tables, bad syntax, ...
      if (e instanceof org.apache.spark.sql.AnalysisException analysis) {
        String first = analysis.getSimpleMessage().split("\n")[0].strip();
        throw new io.nightjar.config.ConfigException(
            "Invalid query: " + first + (first.endsWith(".") ? "" : "."), e);
      }
      throw e;
    }
    List<String> columns = Arrays.asList(result.columns());
    if (columns.isEmpty()) {
      return ExitCodes.OK;
    }
    List<Row> rows = result.limit(maxRows + 1).collectAsList();
    boolean truncated = rows.size() > maxRows;
    var out = cli.spec.commandLine().getOut();
    RowPrinter.print(out, output.format, columns, SparkRows.values(truncated ? rows.subList(0, maxRows) : rows));
    if (truncated) {
      cli.spec.commandLine().getErr().println("(output cut at " + maxRows + " rows; raise --max-rows to see more)");
    }
    return ExitCodes.OK;
  }
}
