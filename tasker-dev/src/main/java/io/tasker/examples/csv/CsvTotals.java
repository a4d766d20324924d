package io.tasker.examples.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;

/**
 * What the example counts over rows: how many, the sum of their amounts, how many of each
 * category. A worker adds rows to it, a checkpoint carries it ({@link #toJson()}, {@link #of}),
 * the convergence step adds the workers' results together. Mutable, so a million rows cost no
 * allocation; each instance belongs to one handler call.
 */
final class CsvTotals {
    private long processedCount;
    private long amountSum;
    private final long[] categoryCounts = new long[CsvRows.CATEGORIES.length];

    /** The totals in {@code json} (a worker's result or a checkpoint's accumulated results); zero when null. */
    static CsvTotals of(JsonNode json) {
        return new CsvTotals().add(json);
    }

    void addRow(long row) {
        processedCount++;
        amountSum += CsvRows.amount(row);
        categoryCounts[CsvRows.category(row)]++;
    }

    /** Adds the totals in {@code json}; a placeholder worker's result (no amounts) adds nothing. */
    CsvTotals add(JsonNode json) {
        if (json == null || json.isNull()) {
            return this;
        }
        processedCount += json.path("processed_count").asLong(0);
        amountSum += json.path("amount_sum").asLong(0);
        JsonNode counts = json.path("category_counts");
        for (int c = 0; c < categoryCounts.length; c++) {
            categoryCounts[c] += counts.path(CsvRows.CATEGORIES[c]).asLong(0);
        }
        return this;
    }

    long processedCount() {
        return processedCount;
    }

    /** {"processed_count", "amount_sum", "category_counts": {category: count}}, categories with no rows left out. */
    ObjectNode toJson() {
        ObjectNode json = Json.MAPPER.createObjectNode()
                .put("processed_count", processedCount)
                .put("amount_sum", amountSum);
        ObjectNode counts = json.putObject("category_counts");
        for (int c = 0; c < categoryCounts.length; c++) {
            if (categoryCounts[c] > 0) {
                counts.put(CsvRows.CATEGORIES[c], categoryCounts[c]);
            }
        }
        return json;
    }
}
