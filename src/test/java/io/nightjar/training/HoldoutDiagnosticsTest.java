package io.nightjar.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.nightjar.TestSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class HoldoutDiagnosticsTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("id", "long")
          .add("a", "double")
          .add("b", "double")
          .add("segment", "string");

  @Test
  void permutedCopiesHoldTheSampleAndOneShuffleOfEachFeatureAsShufflingItsValuesWould() {
    SparkSession spark = TestSpark.session();
    List<Row> sample = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      sample.add(RowFactory.create(i, i * 1.5, -i * 2.0, i % 3 == 0 ? null : "s" + (i % 4)));
    }
    List<String> features = List.of("a", "segment");

    List<Row> copies =
        HoldoutDiagnostics.permutedCopies(spark, SCHEMA, sample, features, 7L).collectAsList();

    assertThat(copies).hasSize(sample.size() * 3);
    Map<String, List<Row>> byTag =
        copies.stream().collect(Collectors.groupingBy(r -> r.getString(4)));
    assertThat(byTag.get("")).extracting(r -> r.getLong(0)).containsExactlyElementsOf(ids(sample));
    for (int i = 0; i < sample.size(); i++) {
      for (int c = 0; c < SCHEMA.size(); c++) {
        assertThat(byTag.get("").get(i).get(c)).isEqualTo(sample.get(i).get(c));
      }
    }
    // What the frame held when it was built from a local list: each feature's values shuffled in
    // turn, one generator.
    Random random = new Random(7L);
    for (String feature : features) {
      int column = SCHEMA.fieldIndex(feature);
      List<Object> values = new ArrayList<>();
      sample.forEach(r -> values.add(r.get(column)));
      Collections.shuffle(values, random);
      List<Row> copy = byTag.get(feature);
      assertThat(copy).extracting(r -> r.get(column)).as(feature).containsExactlyElementsOf(values);
      assertThat(copy)
          .extracting(r -> r.getLong(0))
          .as("ids in the copy of " + feature)
          .containsExactlyElementsOf(ids(sample));
      assertThat(copy)
          .extracting(r -> r.getDouble(2))
          .as("b in the copy of " + feature)
          .containsExactlyElementsOf(sample.stream().map(r -> r.getDouble(2)).toList());
    }
  }

  private static List<Long> ids(List<Row> rows) {
    return rows.stream().map(r -> r.getLong(0)).toList();
  }
}
