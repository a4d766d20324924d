package io.tasker.server.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Reads a point in time: an ISO-8601 instant or date-time with offset, or a local date or
 * date-time, taken in this machine's time zone.
 */
final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String text) {
        String trimmed = text.strip();
        try {
            return OffsetDateTime.parse(trimmed).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // a local form, below
        }
        try {
            return trimmed.contains("T") ? LocalDateTime.parse(trimmed).atZone(ZoneId.systemDefault()).toInstant()
                    : LocalDate.parse(trimmed).atStartOfDay(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not a time; write e.g. 2025-05-01T12:00:00Z, "
                    + "2025-05-01T14:00 (local) or 2025-05-01");
        }
    }
}
