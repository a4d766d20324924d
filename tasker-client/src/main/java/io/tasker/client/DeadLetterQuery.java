package io.tasker.client;

import java.util.Map;

/** Which dead letters {@link TaskerClient#listDeadLetters} shows: open, resolved or all, newest first. */
public final class DeadLetterQuery extends ListQuery<DeadLetterQuery> {
    private DeadLetterQuery(Map<String, String> parameters) {
        super(parameters);
    }

    /** The entries nobody resolved yet (the server's default). */
    public static DeadLetterQuery open() {
        return new DeadLetterQuery(Map.of("resolved", "false"));
    }

    public static DeadLetterQuery resolved() {
        return new DeadLetterQuery(Map.of("resolved", "true"));
    }

    public static DeadLetterQuery all() {
        return new DeadLetterQuery(Map.of("resolved", "all"));
    }

    @Override
    DeadLetterQuery copy(Map<String, String> parameters) {
        return new DeadLetterQuery(parameters);
    }
}
