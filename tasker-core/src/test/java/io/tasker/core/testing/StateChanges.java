package io.tasker.core.testing;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.state.LifecycleState;
import io.tasker.core.state.StepState;
import io.tasker.core.state.TaskState;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Function;

/**
 * Every state a task or step row is written in, as the database saw it: a trigger on both tables
 * logs each insert and each change of {@code state} into a table of its own. The state changes
 * are made by SQL (the server-side functions of the step path, the queue's statements), so this
 * checks that SQL against the one state machine ({@link StepState}, {@link TaskState}) instead of
 * trusting the two to agree. Every test database has it (see {@link TestServer#createDatabase()})
 * and is checked when it is closed.
 */
public final class StateChanges {
    private static final String INSTALL = """
            create table tasker_test_state_changes (
                id          bigint generated always as identity primary key,
                subject     text not null,
                from_state  text,
                to_state    text not null
            );
            create function tasker_test_log_state_change() returns trigger
            language plpgsql as $$
            begin
                if tg_op = 'INSERT' then
                    insert into tasker_test_state_changes (subject, to_state) values (tg_table_name, new.state);
                elsif old.state is distinct from new.state then
                    insert into tasker_test_state_changes (subject, from_state, to_state)
                    values (tg_table_name, old.state, new.state);
                end if;
                return null;
            end
            $$;
            create trigger tasker_test_step_states after insert or update of state on tasker_steps
                for each row execute function tasker_test_log_state_change();
            create trigger tasker_test_task_states after insert or update of state on tasker_tasks
                for each row execute function tasker_test_log_state_change();
            """;

    /** One logged change; {@code from} is null for the insert that created the row. */
    public record Change(String subject, String from, String to) {}

    private StateChanges() {}

    static void install(DataSource dataSource) {
        Jdbc.withConnection(dataSource, c -> {
            try (var statement = c.createStatement()) {
                statement.execute(INSTALL);
            }
            return null;
        });
    }

    /** Every change logged so far, oldest first; none on a database the log was never installed on. */
    public static List<Change> all(DataSource dataSource) {
        return Jdbc.withConnection(dataSource, c -> {
            boolean installed = Jdbc.queryOne(c, "select to_regclass('tasker_test_state_changes') is not null",
                    row -> row.getBoolean(1)).orElse(false);
            return !installed ? List.<Change>of() : Jdbc.query(c,
                    "select subject, from_state, to_state from tasker_test_state_changes order by id",
                    row -> new Change(row.getString(1), row.getString(2), row.getString(3)));
        });
    }

    /** The changes the state machine does not allow: an initial state it does not start in, or a move it forbids. */
    public static List<Change> forbidden(DataSource dataSource) {
        return all(dataSource).stream().filter(change -> !allowed(change)).toList();
    }

    static boolean allowed(Change change) {
        return switch (change.subject()) {
            case "tasker_steps" -> allowed(change, StepState::fromDb);
            case "tasker_tasks" -> allowed(change, TaskState::fromDb);
            default -> false;
        };
    }

    private static <S extends Enum<S> & LifecycleState<S>> boolean allowed(Change change, Function<String, S> state) {
        S to = state.apply(change.to());
        return change.from() == null ? to.isInitial() : state.apply(change.from()).canTransitionTo(to);
    }
}
