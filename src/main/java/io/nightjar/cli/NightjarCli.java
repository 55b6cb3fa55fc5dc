package io.nightjar.cli;

import io.nightjar.config.ConfigException;
import io.nightjar.config.EnvironmentConfig;
import io.nightjar.jobs.JobContext;
import io.nightjar.registry.Packages;
import io.nightjar.spark.NativeBlas;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code nightjar} command line (commands in the README). Runs on embedded local Spark when
 * started by the launcher, and on a cluster when started by {@code spark-submit}. Errors print as
 * one sentence on stderr (a stack trace only with {@code --verbose}) and map to the exit codes of
 * {@link ExitCodes}.
 */
@Command(
    name = "nightjar",
    mixinStandardHelpOptions = true,
    versionProvider = NightjarCli.Version.class,
    description = "Machine-learning models in production on Apache Spark and Delta Lake.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      PromoteCommand.class,
      RollbackCommand.class,
      ScoreCommand.class,
      EvaluateCommand.class,
      ReportCommand.class,
      NightlyCommand.class,
      StatusCommand.class,
      ModelsCommand.class,
      SqlCommand.class,
      SqlServerCommand.class,
      ServeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NightjarCli implements Runnable {
  @Option(
      names = "--conf-file",
      paramLabel = "FILE",
      description = "Environment config (default: $NIGHTJAR_CONF, else conf/nightjar.yaml).")
  Path confFile;

  @Option(names = "--verbose", description = "Print stack traces with errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private JobContext context;

  public static void main(String[] args) {
    // Before Spark starts: a JVM that runs the jar through its own spark-submit, without the
    // launchers' thread setting, is told once how to avoid a native BLAS crash (NativeBlas says why
    // it does not force anything).
    NativeBlas.inThisJvm()
        .warning(System::getenv, System::getProperty)
        .ifPresent(System.err::println);
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    System.exit(code);
  }

  /** Runs the CLI with the given output streams and returns the exit code (tests call this). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    NightjarCli cli = new NightjarCli();
    CommandLine line = new CommandLine(cli);
    line.setOut(out);
    line.setErr(err);
    line.setParameterExceptionHandler(
        (ex, arguments) -> {
          err.println(ex.getMessage());
          err.println("Try 'nightjar " + subcommandName(ex) + "--help' for usage.");
          return ExitCodes.USAGE;
        });
    line.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          Throwable shown = ExitCodes.rootUserError(ex);
          String message =
              shown.getMessage() == null ? shown.getClass().getName() : shown.getMessage();
          err.println("Error: " + message);
          if (cli.verbose) {
            ex.printStackTrace(err);
          }
          err.flush();
          return ExitCodes.of(ex);
        });
    return line.execute(args);
  }

  private static String subcommandName(CommandLine.ParameterException ex) {
    String name = ex.getCommandLine().getCommandName();
    return "nightjar".equals(name) ? "" : name + " ";
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: try 'nightjar --help'.");
  }

  /** The environment config this invocation uses. */
  EnvironmentConfig environment() {
    Path file = confFile;
    if (file == null) {
      String fromEnv = System.getenv(EnvironmentConfig.ENV_VARIABLE);
      file =
          Path.of(fromEnv != null && !fromEnv.isBlank() ? fromEnv : EnvironmentConfig.DEFAULT_FILE);
    }
    return EnvironmentConfig.load(file);
  }

  /** The job context, opening Spark on first use. */
  JobContext context() {
    if (context == null) {
      context = JobContext.open(environment(), spec.commandLine().getErr());
    }
    return context;
  }

  /** Parses {@code --date}: a logical date YYYY-MM-DD; today (UTC) when absent. */
  static LocalDate date(String text) {
    if (text == null) {
      return LocalDate.now(ZoneOffset.UTC);
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          String.format(
              "Invalid --date '%s': use a logical date YYYY-MM-DD, e.g. 2024-06-30.", text),
          e);
    }
  }

  /**
   * Reports the version from the jar manifest, and the BLAS Spark uses in this JVM
   * (docs/operations.md).
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "nightjar " + Packages.nightjarVersion(), NativeBlas.inThisJvm().describe(System::getenv)
      };
    }
  }
}
