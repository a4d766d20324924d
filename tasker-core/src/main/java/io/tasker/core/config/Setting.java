package io.tasker.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting of the configuration: its key in the YAML file ({@code worker.slots}), its
 * environment variable ({@code TASKER_WORKER_SLOTS}, with fallbacks where another name is usual),
 * its command-line flag ({@code --slots}), the kind of value it takes, and its default, which is
 * either a value, none, or derived from an earlier setting.
 *
 * @param <T> the type of its value
 */
public final class Setting<T> {
    /** A default computed from settings resolved before this one. */
    public record Derivation<T>(Setting<?> from, String how, Function<Values, T> value) {}

    /** The settings resolved so far, for a derivation. */
    @FunctionalInterface
    public interface Values {
        <V> V get(Setting<V> setting);
    }

    private final String key;
    private final SettingType<T> type;
    private final List<String> variables;
    private final String flag;
    private final String paramLabel;
    private final T defaultValue;
    private final String noneMeans;
    private final Derivation<T> derivation;
    private final String description;
    private final boolean secret;

    private Setting(Builder<T> builder) {
        this.key = builder.key;
        this.type = builder.type;
        this.variables = List.copyOf(builder.variables);
        this.flag = Objects.requireNonNull(builder.flag, () -> key + " has no flag");
        this.paramLabel = builder.paramLabel;
        this.defaultValue = builder.defaultValue;
        this.noneMeans = builder.noneMeans;
        this.derivation = builder.derivation;
        this.description = Objects.requireNonNull(builder.description, () -> key + " has no description");
        this.secret = builder.secret;
        if (defaultValue == null && derivation == null && noneMeans == null) {
            throw new IllegalArgumentException(key + " needs a default, a derivation or what having none means");
        }
    }

    /** A setting with key {@code key} (sections and names in snake_case, joined by dots). */
    public static <T> Builder<T> builder(String key, SettingType<T> type) {
        return new Builder<>(key, type);
    }

    /** {@code TASKER_} and the key in upper case, dots as underscores: {@code TASKER_WORKER_SLOTS}. */
    public static String variableFor(String key) {
        return "TASKER_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String key() {
        return key;
    }

    public SettingType<T> type() {
        return type;
    }

    /** The environment variables that give it, the first one first. */
    public List<String> variables() {
        return variables;
    }

    public String variable() {
        return variables.getFirst();
    }

    public String flag() {
        return flag;
    }

    public String paramLabel() {
        return paramLabel;
    }

    /** The default value; empty when it has none or derives one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public Optional<Derivation<T>> derivation() {
        return Optional.ofNullable(derivation);
    }

    /** What it means to leave it unset when it has no default: {@code an open API}. */
    public String noneMeans() {
        return noneMeans;
    }

    public String description() {
        return description;
    }

    /** Whether its value is shown masked. */
    public boolean secret() {
        return secret;
    }

    /** Whether a flag, a variable or a file line may give it several values. */
    public boolean isList() {
        return type instanceof SettingType.ListType<?>;
    }

    /** The default as the help and the docs say it: {@code 16}, {@code worker.lease / 3}, {@code none (an open API)}. */
    public String describeDefault() {
        if (derivation != null) {
            return derivation.how();
        }
        return defaultValue != null ? type.format(defaultValue) : "none (" + noneMeans + ")";
    }

    @Override
    public String toString() {
        return key;
    }

    public static final class Builder<T> {
        private final String key;
        private final SettingType<T> type;
        private final List<String> variables = new ArrayList<>();
        private String flag;
        private String paramLabel;
        private T defaultValue;
        private String noneMeans;
        private Derivation<T> derivation;
        private String description;
        private boolean secret;

        private Builder(String key, SettingType<T> type) {
            this.key = Objects.requireNonNull(key, "key");
            this.type = Objects.requireNonNull(type, "type");
            variables.add(variableFor(key));
        }

        /** Another name for its variable than {@link #variableFor}, kept where users know it already. */
        public Builder<T> variable(String name) {
            variables.set(0, name);
            return this;
        }

        /** A variable read when the first one is not set. */
        public Builder<T> fallbackVariable(String name) {
            variables.add(name);
            return this;
        }

        public Builder<T> flag(String flag, String paramLabel) {
            this.flag = flag;
            this.paramLabel = paramLabel;
            return this;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /** No default: left unset, it is absent, which means {@code meaning}. */
        public Builder<T> none(String meaning) {
            this.noneMeans = meaning;
            return this;
        }

        /** Unset, it is computed from {@code from}, which derives nothing itself; {@code how} says how. */
        public Builder<T> derived(Setting<?> from, String how, Function<Values, T> value) {
            this.derivation = new Derivation<>(from, how, value);
            return this;
        }

        public Builder<T> description(String description) {
            this.description = description;
            return this;
        }

        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        public Setting<T> build() {
            return new Setting<>(this);
        }
    }
}
