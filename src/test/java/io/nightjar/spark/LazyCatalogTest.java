package io.nightjar.spark;

import static org.apache.spark.sql.functions.max;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nightjar.TestSpark;
import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On an in-memory catalog, {@link Warehouse#discover()} makes every Delta table under the warehouse
 * known by name without reading its log; the statements that name a table then see it as Delta
 * stores it: its schema, partitions and latest commit, written to it by path after the start too.
 */
class LazyCatalogTest {
  private static final String DATABASE = "lazy_catalog";
  private static final TableName PLAIN = new TableName(DATABASE, "plain");
  private static final TableName PARTITIONED = new TableName(DATABASE, "by_day");
  private static final TableName OTHER = new TableName("lazy_other", "second");

  @TempDir static Path dir;
  private static JobContext context;
  private static SparkSession spark;

  @BeforeAll
  static void warehouseWrittenByPath() throws Exception {
    context = TestSpark.context(dir, DATABASE);
    spark = context.spark();
    Warehouse warehouse = context.warehouse();
    spark
        .sql("SELECT id, CAST(id * 2 AS DOUBLE) AS score, 'a' AS label FROM range(3)")
        .write()
        .format("delta")
        .save(warehouse.location(PLAIN));
    spark
        .sql("SELECT id, CAST(id % 2 AS STRING) AS day FROM range(4)")
        .write()
        .format("delta")
        .partitionBy("day")
        .save(warehouse.location(PARTITIONED));
    spark.range(1).write().format("delta").save(warehouse.location(OTHER));
    // Another process creating a table right now: its log has no commit yet.
    Files.createDirectories(
        Path.of(warehouse.location(new TableName(DATABASE, "half")), "_delta_log"));
    warehouse.discover();
  }

  @Test
  void everyCommittedTableIsKnownByNameAndTheHalfCreatedOneIsNot() {
    assertThat(spark.catalog().tableExists(DATABASE, "plain")).isTrue();
    assertThat(spark.catalog().tableExists(DATABASE, "by_day")).isTrue();
    assertThat(spark.catalog().tableExists("lazy_other", "second")).isTrue();
    assertThat(spark.catalog().tableExists(DATABASE, "half")).isFalse();
    List<String> names =
        spark.sql("SHOW TABLES IN " + DATABASE).collectAsList().stream()
            .map(row -> row.getString(1))
            .toList();
    assertThat(names).contains("plain", "by_day").doesNotContain("half");
  }

  @Test
  void aStatementSeesTheSchemaAndRowsOfTheLog() {
    assertThat(spark.table(PLAIN.sql()).schema().fieldNames())
        .containsExactly("id", "score", "label");
    assertThat(spark.sql("SELECT sum(score) FROM " + PLAIN.sql()).first().getDouble(0))
        .isEqualTo(6.0);
    List<String> described =
        spark.sql("DESCRIBE TABLE " + PLAIN.sql()).collectAsList().stream()
            .map(row -> row.getString(0))
            .toList();
    assertThat(described).contains("id", "score", "label");
    assertThat(
            spark
                .sql("DESCRIBE DETAIL " + PARTITIONED.sql())
                .first()
                .getList(
                    spark
                        .sql("DESCRIBE DETAIL " + PARTITIONED.sql())
                        .schema()
                        .fieldIndex("partitionColumns")))
        .containsExactly("day");
    assertThat(
            spark
                .sql("SELECT count(*) FROM " + PARTITIONED.sql() + " WHERE day = '1'")
                .first()
                .getLong(0))
        .isEqualTo(2);
  }

  @Test
  void commitsByPathAfterTheStartAndBySqlAreSeenAndLast() {
    TableName table = new TableName(DATABASE, "growing");
    String location = context.warehouse().location(table);
    spark.range(2).write().format("delta").save(location);
    context.warehouse().discover();
    spark.range(2, 5).write().format("delta").mode(SaveMode.Append).save(location);
    assertThat(spark.table(table.sql()).count()).isEqualTo(5);
    spark.sql("INSERT INTO " + table.sql() + " VALUES (9)");
    Row last = spark.read().format("delta").load(location).agg(max("id")).first();
    assertThat(last.getLong(0)).isEqualTo(9);
  }

  @Test
  void aMissingTableIsRefusedAsBefore() {
    assertThatThrownBy(() -> spark.sql("SELECT * FROM " + DATABASE + ".ghost"))
        .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND")
        .hasMessageContaining("ghost");
  }

  @Test
  void discoveringAgainKeepsTheEntries() {
    context.warehouse().discover();
    assertThat(spark.table(PLAIN.sql()).count()).isEqualTo(3);
  }

  /**
   * Delta keeps a table's schema in its log: the entry {@code CREATE TABLE ... USING delta
   * LOCATION} writes holds no columns either, so what reads the catalog's entries alone (the Thrift
   * server's JDBC column metadata) sees the same as before.
   */
  @Test
  void theEntryHoldsWhatCreateTableWrites() {
    TableName eager = new TableName("lazy_other", "eager");
    spark.range(1).write().format("delta").save(context.warehouse().location(eager));
    context.warehouse().register(eager);
    for (TableName table : List.of(eager, PLAIN)) {
      CatalogTable entry =
          spark
              .sessionState()
              .catalog()
              .externalCatalog()
              .getTable(table.database(), table.table());
      assertThat(entry.schema().fieldNames()).isEmpty();
      assertThat(entry.provider().get()).isEqualTo("delta");
      assertThat(entry.tableType().name()).isEqualTo("EXTERNAL");
    }
  }
}
