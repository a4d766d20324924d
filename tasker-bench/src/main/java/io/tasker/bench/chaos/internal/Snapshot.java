package io.tasker.bench.chaos.internal;

import io.tasker.bench.chaos.internal.ChaosData.AttemptRow;
import io.tasker.bench.chaos.internal.ChaosData.StepRow;
import io.tasker.bench.chaos.internal.ChaosData.TaskRow;
import io.tasker.core.internal.Jdbc;
import io.tasker.core.internal.Json;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the database of a chaos run holds at its end, read in one snapshot. */
record Snapshot(List<TaskRow> tasks, List<StepRow> steps, List<AttemptRow> attempts,
                Map<UUID, Integer> transitions) {

    static Snapshot read(DataSource dataSource) {
        return Jdbc.inSnapshot(dataSource, c -> {
            List<TaskRow> tasks = Jdbc.query(c, "select id, namespace, name, state, context::text from tasker_tasks",
                    row -> new TaskRow(Jdbc.uuid(row, "id"), row.getString("namespace"), row.getString("name"),
                            row.getString("state"), Json.parse(row.getString("context"))));
            List<StepRow> steps = Jdbc.query(c, """
                    select id, task_id, name, state, attempts, claimed_by, results::text as results,
                           (extract(epoch from completed_at) * 1000000)::bigint as completed_micros
                      from tasker_steps
                    """, row -> {
                String results = row.getString("results");
                long completed = row.getLong("completed_micros");
                return new StepRow(Jdbc.uuid(row, "id"), Jdbc.uuid(row, "task_id"), row.getString("name"),
                        row.getString("state"), row.getInt("attempts"), row.getString("claimed_by"),
                        results == null ? null : Json.parse(results), row.wasNull() ? null : completed);
            });
            List<AttemptRow> attempts = Jdbc.query(c,
                    "select step_id, attempt, worker_id, outcome, reason from tasker_step_attempts",
                    row -> new AttemptRow(Jdbc.uuid(row, "step_id"), row.getInt("attempt"), row.getString("worker_id"),
                            row.getString("outcome"), row.getString("reason")));
            Map<UUID, Integer> transitions = new HashMap<>();
            Jdbc.query(c, "select task_id, count(*) as n from tasker_task_transitions group by task_id",
                    row -> transitions.put(Jdbc.uuid(row, "task_id"), row.getInt("n")));
            return new Snapshot(tasks, steps, attempts, transitions);
        });
    }

    /** Tasks in each state, to show progress. */
    static Map<String, Integer> taskStates(DataSource dataSource) {
        Map<String, Integer> states = new HashMap<>();
        Jdbc.withConnection(dataSource, c -> Jdbc.query(c,
                "select state, count(*) as n from tasker_tasks group by state",
                row -> states.put(row.getString("state"), row.getInt("n"))));
        return states;
    }
}
