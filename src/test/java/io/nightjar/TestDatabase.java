package io.nightjar;

import io.nightjar.config.TableName;
import io.nightjar.jobs.JobContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own database in its own warehouse ({@link TestSpark#contextWithDatabase}), made
 * before the class's {@code @BeforeAll} methods and deleted after its tests. Register it on a
 * static field: {@code @RegisterExtension static final TestDatabase db = new
 * TestDatabase("x_test");}
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private Path dir;
  private JobContext context;

  /** {@code name} is the database's name, unique to the test class. */
  public TestDatabase(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext extension) throws IOException {
    dir = Files.createTempDirectory(name);
    context = TestSpark.contextWithDatabase(dir, name);
  }

  @Override
  public void afterAll(ExtensionContext extension) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** The directory that holds the warehouse; tests may put their own files beside it. */
  public Path dir() {
    return dir;
  }

  public SparkSession spark() {
    return context.spark();
  }

  /**
   * Writes {@code rows} as the Delta table {@code table} of this database ({@code mode}: Spark's
   * save mode, e.g. overwrite or append) and registers it in the catalog, as a user's table is.
   */
  public TableName write(String table, Dataset<Row> rows, String mode) {
    TableName name = new TableName(this.name, table);
    rows.write().format("delta").mode(mode).save(context.warehouse().location(name));
    context.warehouse().register(name);
    return name;
  }
}
