package io.tasker.core.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builds the immutable lookup tables behind {@link TaskState} and {@link StepState}. */
final class StateTable {
    private StateTable() {}

    /** The transition table; a state missing from {@code allowed} is final. */
    static <S extends Enum<S>> Map<S, Set<S>> transitions(Class<S> type, Map<S, Set<S>> allowed) {
        Map<S, Set<S>> table = new EnumMap<>(type);
        for (S state : type.getEnumConstants()) {
            Set<S> targets = EnumSet.noneOf(type);
            targets.addAll(allowed.getOrDefault(state, Set.of()));
            table.put(state, Collections.unmodifiableSet(targets));
        }
        return Collections.unmodifiableMap(table);
    }

    static String dbValue(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    static <S extends Enum<S>> Map<String, S> byDbValue(Class<S> type) {
        return Arrays.stream(type.getEnumConstants())
                .collect(Collectors.toUnmodifiableMap(StateTable::dbValue, Function.identity()));
    }

    static <S extends Enum<S>> S fromDb(Map<String, S> byDbValue, Class<S> type, String value) {
        S state = value == null ? null : byDbValue.get(value);
        if (state == null) {
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " '" + value
                    + "' in the database; expected one of " + byDbValue.keySet().stream().sorted().toList());
        }
        return state;
    }
}
