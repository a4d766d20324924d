package io.tasker.core.queue;

import io.tasker.core.internal.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The rows the step functions ({@code tasker_step_cycle}, {@code tasker_create_task}) answer with:
 * each has a {@code kind}, and a {@code claimed} row carries a {@link ClaimedStep}. One reader for
 * all of them, since every function that claims returns the same columns.
 */
public final class StepRows {
    public static final String CLAIMED = "claimed";

    private StepRows() {}

    public static String kind(ResultSet row) throws SQLException {
        return row.getString("kind");
    }

    /** The claim on a {@link #CLAIMED} row. */
    public static ClaimedStep claimed(ResultSet row) throws SQLException {
        return new ClaimedStep(
                Jdbc.uuid(row, "step_id"),
                Jdbc.uuid(row, "task_id"),
                row.getString("namespace"),
                row.getString("name"),
                row.getString("handler_callable"),
                row.getInt("attempts"),
                row.getInt("max_attempts"),
                row.getBoolean("retryable"),
                row.getLong("backoff_base_ms"),
                row.getLong("max_backoff_ms"),
                Jdbc.instant(row, "lease_until"),
                Jdbc.uuid(row, "template_id"),
                row.getString("task_name"),
                row.getString("task_version"),
                row.getString("context"),
                row.getString("dependency_results"),
                row.getString("inputs"),
                row.getString("checkpoint"));
    }
}
