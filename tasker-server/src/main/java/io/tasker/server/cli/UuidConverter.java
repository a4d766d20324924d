package io.tasker.server.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Optional;
import java.util.UUID;

/** Reads the ids of tasks, steps and dead letters, saying what one looks like when it is not one. */
final class UuidConverter implements ITypeConverter<UUID> {
    private static final String EXAMPLE = "01a22171-8e7a-7baf-b441-ba2bed6a0aec";

    @Override
    public UUID convert(String text) {
        return parse(text).orElseThrow(() -> new TypeConversionException("'" + text + "' is not an id; ids look "
                + "like " + EXAMPLE + " (task list and dlq list show them)"));
    }

    /** The id {@code text} is, if it is one written in full. */
    static Optional<UUID> parse(String text) {
        String trimmed = text.strip();
        // UUID.fromString also takes shortened groups such as 1-2-3-4-5, which could be a step's name.
        if (trimmed.length() != EXAMPLE.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(trimmed));
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }
}
