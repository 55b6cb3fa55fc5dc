package io.nightjar.spark;

import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** A table's columns declared once give its schema and its rows in the same order. */
class RowLayoutTest {
  private record Pet(String name, Integer age) {}

  private static final RowLayout<Pet> PETS =
      new RowLayout<Pet>()
          .required("name", StringType, Pet::name)
          .nullable("age", IntegerType, Pet::age)
          .required("shout", StringType, pet -> pet.name().toUpperCase());

  @Test
  void schemaHasTheColumnsInDeclarationOrderWithTheirNullability() {
    assertThat(PETS.schema())
        .isEqualTo(
            new StructType()
                .add("name", StringType, false)
                .add("age", IntegerType, true)
                .add("shout", StringType, false));
  }

  @Test
  void aRecordsRowHoldsEachColumnsValueInSchemaOrder() {
    Row row = PETS.row(new Pet("rex", null));

    assertThat(row.size()).isEqualTo(3);
    assertThat(row.getString(0)).isEqualTo("rex");
    assertThat(row.isNullAt(1)).isTrue();
    assertThat(row.getString(2)).isEqualTo("REX");
  }
}
