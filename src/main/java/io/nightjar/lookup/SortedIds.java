package io.nightjar.lookup;

import java.util.Arrays;

/**
 * The entity ids of one in-memory snapshot, ascending: whole numbers in a {@code long[]}, strings
 * in a {@code String[]} in Spark's order, found by binary search. A snapshot keeps its other
 * columns in arrays of the same order, so an id's position is its row. Immutable and thread-safe;
 * shared by {@link PredictionSnapshot} and {@link FeatureSnapshot}.
 */
final class SortedIds {
  private final IdType idType;
  private final long[] longIds;
  private final String[] stringIds;

  private SortedIds(Builder b) {
    this.idType = b.idType;
    this.longIds = b.idType.integral() ? Arrays.copyOf(b.longIds, b.size) : null;
    this.stringIds = b.idType.integral() ? null : Arrays.copyOf(b.stringIds, b.size);
  }

  IdType idType() {
    return idType;
  }

  int size() {
    return longIds != null ? longIds.length : stringIds.length;
  }

  /** The row of {@code id} (a value {@link IdType#parse} returned), or a negative number. */
  int indexOf(Object id) {
    return idType.integral() ? Arrays.binarySearch(longIds, (Long) id) : search((String) id);
  }

  /** Bytes held per id beyond the arrays' headers: 8 for a number, 8 + the string's for text. */
  long bytes() {
    if (longIds != null) {
      return 8L * longIds.length;
    }
    long total = 0;
    for (String id : stringIds) {
      total += stringBytes(id);
    }
    return total;
  }

  /**
   * An estimate of one {@code String}'s heap: reference, object header, array and Latin-1 bytes.
   */
  static long stringBytes(String text) {
    return 8 + 24 + 16 + text.length();
  }

  private int search(String id) {
    int low = 0;
    int high = stringIds.length - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = compareCodePoints(stringIds[mid], id);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * Orders strings by Unicode code point, which is how Spark sorts them (by UTF-8 bytes). {@link
   * String#compareTo} compares UTF-16 units and disagrees for characters beyond U+FFFF.
   */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /** Collects ids in ascending order; not thread-safe. */
  static final class Builder {
    private final IdType idType;
    private final String what;
    private long[] longIds;
    private String[] stringIds;
    private int size;

    /** {@code what} names the rows in the error for ids out of order, e.g. "predictions". */
    Builder(IdType idType, String what) {
      this.idType = idType;
      this.what = what;
      if (idType.integral()) {
        longIds = new long[1024];
      } else {
        stringIds = new String[1024];
      }
    }

    int size() {
      return size;
    }

    /**
     * Adds the next id; ids must come strictly ascending (the loader sorts them).
     *
     * @throws IllegalStateException when ids repeat or come out of order
     */
    void add(Object id) {
      if (idType.integral()) {
        long value = ((Number) id).longValue();
        check(size == 0 || longIds[size - 1] < value, id);
        if (size == longIds.length) {
          longIds = Arrays.copyOf(longIds, size * 2);
        }
        longIds[size] = value;
      } else {
        String value = (String) id;
        check(size == 0 || compareCodePoints(stringIds[size - 1], value) < 0, id);
        if (size == stringIds.length) {
          stringIds = Arrays.copyOf(stringIds, size * 2);
        }
        stringIds[size] = value;
      }
      size++;
    }

    private void check(boolean ascending, Object id) {
      if (!ascending) {
        throw new IllegalStateException(
            "Cannot cache " + what + ": id '" + id + "' is repeated or out of order.");
      }
    }

    SortedIds build() {
      return new SortedIds(this);
    }
  }
}
