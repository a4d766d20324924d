package io.tasker.server.cli;

import io.tasker.core.config.Durations;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Reads durations as people write them ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}) or as ISO-8601. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
        return Durations.parse(text).orElseThrow(() -> new TypeConversionException(
                "'" + text + "' is not a duration; write e.g. " + Durations.EXAMPLES));
    }
}
