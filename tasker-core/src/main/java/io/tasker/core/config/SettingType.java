package io.tasker.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The kind of value a {@link Setting} takes, and how it is written: read from the text of a flag,
 * an environment variable or a YAML value, written back for {@code tasker config show}. A text that
 * is no such value makes the message "{@code SOURCE must be EXPECTED, got 'TEXT'}".
 */
public interface SettingType<T> {
    /** What a value must be, as it ends "must be ...": {@code a whole number ≥ 1}. */
    String expected();

    /** The value {@code text} writes (never blank); empty when it writes none. */
    Optional<T> parse(String text);

    String format(T value);

    /** A value read from a file, with relative paths taken from the file's folder. */
    default T relativeTo(T value, Path folder) {
        return value;
    }

    static SettingType<Integer> wholeNumber(int min) {
        return new WholeNumber(min, Integer.MAX_VALUE, "a whole number ≥ " + min);
    }

    static SettingType<Integer> port() {
        return new WholeNumber(0, 65535, "a port number (0-65535)");
    }

    /** A duration longer than zero, or with {@code zeroAllowed} zero too. */
    static SettingType<Duration> duration(boolean zeroAllowed) {
        return new DurationType(zeroAllowed);
    }

    /** One of {@code choices}, written in lower case ({@code event_driven}); {@code -} reads as {@code _}. */
    static <E extends Enum<E>> SettingType<E> choice(Class<E> choices) {
        return new Choice<>(choices);
    }

    static SettingType<String> text() {
        return new Text("a text", UnaryOperator.identity());
    }

    /** A text that {@code config show} shows as {@code shown} makes it: a URL with its password masked. */
    static SettingType<String> text(String expected, UnaryOperator<String> shown) {
        return new Text(expected, shown);
    }

    static SettingType<Path> path() {
        return PathType.INSTANCE;
    }

    /** Values of {@code element}, in one text separated by {@code separator}, or given one by one. */
    static <E> ListType<E> list(SettingType<E> element, String separator, String what) {
        return new ListType<>(element, separator, what);
    }

    record WholeNumber(int min, int max, String expected) implements SettingType<Integer> {
        @Override
        public Optional<Integer> parse(String text) {
            try {
                int value = Integer.parseInt(text.strip());
                return value >= min && value <= max ? Optional.of(value) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String format(Integer value) {
            return value.toString();
        }
    }

    record DurationType(boolean zeroAllowed) implements SettingType<Duration> {
        @Override
        public String expected() {
            return (zeroAllowed ? "a duration (0s or more)" : "a duration longer than 0") + " such as "
                    + Durations.EXAMPLES;
        }

        @Override
        public Optional<Duration> parse(String text) {
            return Durations.parse(text).filter(d -> !d.isNegative() && (zeroAllowed || !d.isZero()));
        }

        @Override
        public String format(Duration value) {
            return Durations.format(value);
        }
    }

    record Choice<E extends Enum<E>>(Class<E> choices) implements SettingType<E> {
        @Override
        public String expected() {
            return "one of " + Arrays.stream(choices.getEnumConstants()).map(this::format)
                    .collect(Collectors.joining(", "));
        }

        @Override
        public Optional<E> parse(String text) {
            String name = text.strip().replace('-', '_');
            return Arrays.stream(choices.getEnumConstants()).filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
        }

        @Override
        public String format(E value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    record Text(String expected, UnaryOperator<String> shown) implements SettingType<String> {
        @Override
        public Optional<String> parse(String text) {
            return Optional.of(text.strip());
        }

        @Override
        public String format(String value) {
            return shown.apply(value);
        }
    }

    enum PathType implements SettingType<Path> {
        INSTANCE;

        @Override
        public String expected() {
            return "a file or folder path";
        }

        @Override
        public Optional<Path> parse(String text) {
            try {
                return Optional.of(Path.of(text.strip()));
            } catch (InvalidPathException e) {
                return Optional.empty();
            }
        }

        @Override
        public String format(Path value) {
            return value.toString();
        }

        @Override
        public Path relativeTo(Path value, Path folder) {
            return folder.resolve(value);
        }
    }

    /**
     * A list: from the environment one text, its values separated by {@code separator}; from a
     * flag one value each time it is given; from a file a YAML list, or one text as from the
     * environment.
     */
    record ListType<E>(SettingType<E> element, String separator, String what) implements SettingType<List<E>> {
        @Override
        public String expected() {
            return what + " separated by '" + separator + "'";
        }

        @Override
        public Optional<List<E>> parse(String text) {
            return parseEach(List.of(text));
        }

        /** The values of {@code texts}, each of which may hold several separated by the separator. */
        public Optional<List<E>> parseEach(List<String> texts) {
            List<E> values = new ArrayList<>();
            for (String text : texts) {
                for (String part : text.split(Pattern.quote(separator))) {
                    if (part.isBlank()) {
                        continue;
                    }
                    Optional<E> value = element.parse(part);
                    if (value.isEmpty()) {
                        return Optional.empty();
                    }
                    values.add(value.get());
                }
            }
            return Optional.of(List.copyOf(values));
        }

        @Override
        public String format(List<E> value) {
            return value.stream().map(element::format).collect(Collectors.joining(separator));
        }

        @Override
        public List<E> relativeTo(List<E> value, Path folder) {
            return value.stream().map(v -> element.relativeTo(v, folder)).toList();
        }
    }
}
