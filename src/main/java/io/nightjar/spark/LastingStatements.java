package io.nightjar.spark;

import io.nightjar.config.ConfigException;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.GlobalTempView$;
import org.apache.spark.sql.catalyst.analysis.LocalTempView$;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.command.CreateViewCommand;
import org.apache.spark.sql.execution.command.SetCommand;

/**
 * Keeps {@code nightjar sql} from reporting success for a statement whose effect ends with the
 * process: each process runs one command, so a temporary view, a setting, a current database or a
 * cache would be gone before anything could use it, and so would any catalog change on an in-memory
 * catalog. Such a statement is refused, before anything runs, with one sentence saying what to do
 * instead. Statements are recognised by their parsed plan (Spark's parser, the same that then runs
 * them), not by their text.
 */
public final class LastingStatements {
  private static final String ENDS = "ends with this process";

  /** Plans whose effect always ends with the process, by plan class, with what to do instead. */
  private static final Map<String, String> TRANSIENT =
      Map.ofEntries(
          Map.entry(
              "CreateTempViewUsing",
              "a temporary view "
                  + ENDS
                  + "; create a table instead (CREATE TABLE db.name USING csv OPTIONS (path '...'))"),
          Map.entry(
              "CreateFunctionCommand",
              "a temporary function "
                  + ENDS
                  + "; create a permanent one instead (CREATE FUNCTION db.name AS '...')"),
          Map.entry("ResetCommand", "settings end with this process; there is nothing to reset"),
          Map.entry(
              "SetCatalogAndNamespace",
              "the current database "
                  + ENDS
                  + "; name tables with their database instead (db.table)"),
          Map.entry("CacheTable", "a cache " + ENDS + "; query the table directly"),
          Map.entry(
              "CacheTableAsSelect",
              "a cache " + ENDS + "; create a table instead (CREATE TABLE db.name AS ...)"),
          Map.entry("UncacheTable", "a cache " + ENDS + ", so there is nothing to uncache"),
          Map.entry("ClearCacheCommand$", "a cache " + ENDS + ", so there is nothing to clear"),
          Map.entry(
              "AddJarsCommand",
              "an added jar " + ENDS + "; put it on the class path (JAVA_OPTS) instead"),
          Map.entry("AddFilesCommand", "an added file " + ENDS),
          Map.entry("AddArchivesCommand", "an added archive " + ENDS));

  /**
   * Catalog changes that an in-memory catalog forgets when the process ends (changes in Delta logs
   * last).
   */
  private static final Set<String> CATALOG_CHANGES =
      Set.of(
          "CreateNamespace",
          "DropNamespace",
          "SetNamespaceProperties",
          "SetNamespaceLocation",
          "CommentOnNamespace",
          "CreateTable",
          "CreateTableAsSelect",
          "ReplaceTable",
          "ReplaceTableAsSelect",
          "DropTable",
          "RenameTable",
          "CreateView",
          "AlterViewAs",
          "DropView",
          "CreateFunction",
          "DropFunction",
          "DropFunctionCommand",
          "SetTableLocation",
          "RepairTable",
          "AddPartitions",
          "DropPartitions",
          "RenamePartitions");

  private LastingStatements() {}

  /**
   * Parses {@code sql} and refuses it when its effect cannot last.
   *
   * @throws ConfigException naming the statement and what to do instead
   * @throws ParseException when {@code sql} is not a statement
   */
  public static void check(SparkSession spark, String sql) throws ParseException {
    LogicalPlan plan = spark.sessionState().sqlParser().parsePlan(sql);
    String kind = plan.getClass().getSimpleName();
    String why = TRANSIENT.get(kind);
    if (plan instanceof CreateViewCommand view
        && (view.viewType() == LocalTempView$.MODULE$
            || view.viewType() == GlobalTempView$.MODULE$)) {
      why = "a temporary view " + ENDS + "; create a view instead (CREATE VIEW db.name AS ...)";
    } else if (plan instanceof SetCommand set
        && set.kv().isDefined()
        && set.kv().get()._2().isDefined()) {
      why = "a setting " + ENDS + "; put it under spark.conf in the environment config instead";
    } else if (!SparkSessions.hiveCatalog(spark) && CATALOG_CHANGES.contains(kind)) {
      why =
          "the catalog is in memory ('metastore: in-memory', or spark-submit without a Hive metastore), so the"
              + " change "
              + ENDS
              + "; use the shared metastore (remove 'metastore: in-memory') instead";
    }
    ConfigException.check(why == null, "Cannot run '%s': %s.", firstWords(sql), why);
  }

  /** The statement's first words, enough to name it in an error. */
  private static String firstWords(String sql) {
    String oneLine = sql.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }
}
