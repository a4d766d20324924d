package io.tasker.examples.csv;

/**
 * The CSV file the example processes, generated instead of read: row {@code i} (0-based) has an
 * amount of {@code (i * 7919) % 1000} and the category {@code CATEGORIES[i % 5]}. Nothing is on
 * disk, every worker can produce its own rows, and the totals of any row count are known in closed
 * form (7919 is prime to 1000, so every 1000 rows hold each amount 0..999 once).
 */
final class CsvRows {
    static final String[] CATEGORIES = {"electronics", "books", "clothing", "home", "toys"};

    private CsvRows() {}

    static long amount(long row) {
        return row * 7919 % 1000;
    }

    static int category(long row) {
        return (int) (row % CATEGORIES.length);
    }
}
