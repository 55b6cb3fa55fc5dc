package io.nightjar.spark;

import io.nightjar.config.TableName;
import java.net.URI;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.catalog.CatalogStorageFormat;
import org.apache.spark.sql.catalyst.catalog.CatalogTable;
import org.apache.spark.sql.catalyst.catalog.CatalogTable$;
import org.apache.spark.sql.catalyst.catalog.CatalogTableType;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A Delta table's entry in an in-memory catalog, written without reading the table's log: a name, a
 * location and the {@code delta} provider. {@code CREATE TABLE ... USING delta LOCATION} reads the
 * log to check the schema (about 32 ms a table, and the first Delta read of the process), which at
 * start-up grew with the warehouse. Delta's catalog takes a table's schema from its log, never from
 * the catalog, when a statement names it, so the log is read then, and only for the tables a
 * statement uses.
 */
final class CatalogEntry {
  private CatalogEntry() {}

  /** Adds {@code table} at {@code location} to the session's catalog, unless it knows the name. */
  static void create(SparkSession spark, TableName table, URI location) {
    CatalogTable$ defaults = CatalogTable$.MODULE$;
    CatalogStorageFormat storage =
        CatalogStorageFormat.empty()
            .copy(
                Option.apply(location),
                Option.empty(),
                Option.empty(),
                Option.empty(),
                false,
                scala.collection.immutable.Map$.MODULE$.empty());
    CatalogTable entry =
        new CatalogTable(
            identifier(table),
            CatalogTableType.EXTERNAL(),
            storage,
            new StructType(),
            Option.apply("delta"),
            defaults.$lessinit$greater$default$6(),
            defaults.$lessinit$greater$default$7(),
            defaults.$lessinit$greater$default$8(),
            defaults.$lessinit$greater$default$9(),
            defaults.$lessinit$greater$default$10(),
            defaults.$lessinit$greater$default$11(),
            defaults.$lessinit$greater$default$12(),
            defaults.$lessinit$greater$default$13(),
            defaults.$lessinit$greater$default$14(),
            defaults.$lessinit$greater$default$15(),
            defaults.$lessinit$greater$default$16(),
            defaults.$lessinit$greater$default$17(),
            defaults.$lessinit$greater$default$18(),
            defaults.$lessinit$greater$default$19(),
            defaults.$lessinit$greater$default$20());
    spark.sessionState().catalog().createTable(entry, true, false);
  }

  private static TableIdentifier identifier(TableName table) {
    return new TableIdentifier(table.table(), Option.apply(table.database()));
  }
}
