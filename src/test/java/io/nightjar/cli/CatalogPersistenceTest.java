package io.nightjar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestMetastore;
import io.nightjar.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code sql} statement that exits 0 lasts for every later process (child JVMs on the shared
 * metastore, as the launcher runs them), and a statement whose effect would end with its process is
 * refused (exit 2) with nothing run. The child runs batch several statements each, and the first
 * three run at once on a new warehouse.
 */
class CatalogPersistenceTest {
  @TempDir static Path dir;
  static Path conf;

  @BeforeAll
  static void setUp() throws Exception {
    conf = dir.resolve("nightjar.yaml");
    Files.writeString(
        conf,
        """
        spark: {master: "local[1]", conf: {spark.sql.shuffle.partitions: "1", %s}}
        warehouse: %s
        artifacts: %s
        models: %s
        """
                .formatted(
                    CliWarehouse.DELTA_CONF,
                    dir.resolve("warehouse"),
                    dir.resolve("artifacts"),
                    dir.resolve("models"))
            + TestMetastore.yaml());
    Files.writeString(
        dir.resolve("houses.csv"), "id,price,rooms\n1,100.5,3\n2,200.0,4\n3,150.25,2\n");
    SparkSession spark = TestSpark.session();
    spark.range(3).write().parquet(dir.resolve("files/parquet").toString());
    spark.range(4).write().json(dir.resolve("files/json").toString());
    spark.range(5).write().format("delta").save(dir.resolve("files/delta").toString());
    // Written before the warehouse had a metastore (as by an older Nightjar): registered once, by
    // the first process.
    spark.range(6).write().format("delta").save(dir.resolve("warehouse/old.db/legacy").toString());
  }

  /**
   * The flow of a new user loading a CSV file into Delta (a database and a CSV table in one
   * process, the Delta copy in the next), while two other processes create tables in another
   * database at the same moment; a last process sees everything.
   */
  @Test
  void everyKindOfDdlLastsForTheNextProcessIncludingTwoWritingAtOnce() throws Exception {
    String files = dir.resolve("files").toString();
    List<Process> first = new ArrayList<>();
    // The new user's first process creates the database and the CSV table in it: the last process
    // reads both, so each still has to last past the process that made it.
    first.add(
        start(
            "database",
            "CREATE DATABASE src",
            "CREATE TABLE src.raw USING csv OPTIONS (path '"
                + dir.resolve("houses.csv")
                + "', header 'true', inferSchema 'true')"));
    first.add(
        start(
            "kinds",
            "CREATE DATABASE IF NOT EXISTS kinds LOCATION '" + dir.resolve("kinds_db") + "'",
            "CREATE TABLE kinds.pq USING parquet LOCATION '" + files + "/parquet'",
            "CREATE TABLE kinds.js USING json LOCATION '" + files + "/json'",
            "CREATE TABLE kinds.dl USING delta LOCATION '" + files + "/delta'",
            "CREATE TABLE kinds.managed USING delta AS SELECT 1 AS n",
            "CREATE TABLE kinds.to_rename USING delta AS SELECT 7 AS n",
            "ALTER TABLE kinds.to_rename RENAME TO kinds.renamed",
            "CREATE TABLE kinds.to_drop USING delta AS SELECT 1 AS n",
            "DROP TABLE kinds.to_drop",
            "CREATE VIEW kinds.v AS SELECT n * 10 AS m FROM kinds.managed",
            "COMMENT ON TABLE kinds.pq IS 'parquet files'",
            "ALTER TABLE kinds.dl SET TBLPROPERTIES ('team' = 'pricing')",
            "ALTER TABLE kinds.managed ADD COLUMNS (note STRING)"));
    first.add(
        start(
            "second",
            "CREATE DATABASE IF NOT EXISTS kinds LOCATION '" + dir.resolve("kinds_db") + "'",
            "CREATE TABLE kinds.from_second USING delta AS SELECT 2 AS n"));
    List<String> names = List.of("database", "kinds", "second");
    for (int i = 0; i < first.size(); i++) {
      assertThat(finish(first.get(i), names.get(i))).as(log(names.get(i))).isZero();
    }

    Process last =
        start(
            "last",
            "CREATE TABLE src.houses USING delta AS SELECT * FROM src.raw",
            "SELECT * FROM src.houses ORDER BY id",
            "SELECT (SELECT count(*) FROM kinds.pq) AS pq, (SELECT count(*) FROM kinds.js) AS js,"
                + " (SELECT count(*) FROM kinds.dl) AS dl, (SELECT max(m) FROM kinds.v) AS v,"
                + " (SELECT max(n) FROM kinds.renamed) AS renamed, (SELECT max(n) FROM kinds.from_second) AS second,"
                + " (SELECT count(*) FROM old.legacy) AS legacy",
            "SHOW TABLES IN kinds",
            "SHOW TBLPROPERTIES kinds.dl ('team')",
            "DESCRIBE TABLE EXTENDED kinds.pq",
            "SELECT * FROM kinds.managed");
    assertThat(finish(last, "last")).as(log("last")).isZero();
    assertThat(out("last"))
        .contains(
            "id,price,rooms\n1,100.5,3\n2,200.0,4\n3,150.25,2\n",
            "pq,js,dl,v,renamed,second,legacy\n3,4,5,10,7,2,6\n",
            "namespace,tableName,isTemporary\nkinds,dl,false\nkinds,from_second,false\nkinds,js,false\n"
                + "kinds,managed,false\nkinds,pq,false\nkinds,renamed,false\nkinds,v,false\n",
            "key,value\nteam,pricing\n",
            "\nComment,parquet files,",
            "n,note\n1,\n");
    assertThat(Files.exists(dir.resolve("kinds_db/managed/_delta_log"))).isTrue();
  }

  @Test
  void statementsWhoseEffectEndsWithTheProcessAreRefusedWithNothingRun() {
    String[][] refused = {
      {
        "CREATE TEMPORARY VIEW t AS SELECT 1",
        "a temporary view ends with this process; create a view instead"
      },
      {
        "CREATE TEMP VIEW t USING csv OPTIONS (path '/x')",
        "a temporary view ends with this process; create a table"
      },
      {"CREATE TEMPORARY FUNCTION f AS 'x.Y'", "a temporary function ends with this process"},
      {
        "SET spark.sql.shuffle.partitions = 3",
        "a setting ends with this process; put it under spark.conf"
      },
      {
        "USE default",
        "the current database ends with this process; name tables with their database"
      },
      {"CACHE TABLE t", "a cache ends with this process; query the table directly"},
    };
    for (String[] statement : refused) {
      ChildCli.Result result = ChildCli.runHere(conf, "sql", "SELECT 42 AS answer", statement[0]);
      assertThat(result.code()).as(statement[0]).isEqualTo(ExitCodes.USAGE);
      assertThat(result.err())
          .startsWith("Error: Cannot run '" + statement[0] + "': " + statement[1]);
      assertThat(result.out()).as("nothing ran").isEmpty();
    }
    // Reading a setting has nothing to last.
    assertThat(ChildCli.runHere(conf, "sql", "SET spark.sql.session.timeZone").code()).isZero();
  }

  /**
   * On an in-memory catalog (the tests' session, or 'metastore: in-memory') a catalog change would
   * not last.
   */
  @Test
  void anInMemoryCatalogRefusesCatalogChanges() {
    ChildCli.Result result = ChildCli.runHere(conf, "sql", "CREATE DATABASE never_made");
    assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("Cannot run 'CREATE DATABASE never_made': the catalog is in memory");
    assertThat(TestSpark.session().catalog().databaseExists("never_made")).isFalse();
  }

  private static Process start(String name, String... statements) throws Exception {
    List<String> args = new ArrayList<>(List.of("sql", "--format", "csv"));
    args.addAll(List.of(statements));
    return ChildCli.start(
        conf, dir.resolve(name + ".log"), ChildCli.testLogging(), args.toArray(String[]::new));
  }

  private static int finish(Process child, String name) throws Exception {
    return ChildCli.finish(child, dir.resolve(name + ".log"), 600);
  }

  private static String log(String name) throws Exception {
    return ChildCli.read(dir.resolve(name + ".log"));
  }

  /**
   * What a child printed (stdout and stderr share the log; the test logging prints warnings only).
   */
  private static String out(String name) throws Exception {
    return log(name);
  }
}
