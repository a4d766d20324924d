package io.tasker.core.config;

import io.tasker.core.template.Suggestions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The settings of one Tasker process, each from the first place that gives it: its command-line
 * flag, its environment variable ({@code TASKER_*}), the configuration file, else its default
 * (which may be derived from another setting). The file is the one {@code --config} names, else
 * the one {@code TASKER_CONFIG} names, else {@code tasker.yaml} in the working directory when
 * there is one.
 *
 * <p>The environment comes in as a map, so the process environment is read in one place, and
 * tests choose theirs.
 */
public final class Configuration implements Setting.Values {
    /** The file looked for in the working directory. */
    public static final String FILE_NAME = "tasker.yaml";
    public static final String FILE_VARIABLE = "TASKER_CONFIG";
    public static final String FILE_FLAG = "--config";
    /** Variables that are Tasker's, though no setting: a misspelling of another is not suspected in them. */
    private static final Set<String> OTHER_VARIABLES = Set.of(FILE_VARIABLE, "TASKER_DEBUG");
    private static final String MASK = "********";

    private record Resolved(Object value, Source source) {}

    /**
     * What a command was given: the values of the flags given (by flag name, each as often as it
     * was given), the environment, the working directory, and {@code --config} when given.
     */
    public record Inputs(Map<String, List<String>> flags, Map<String, String> environment, Path workingDirectory,
                         String configFlag) {
        public Inputs {
            flags = Map.copyOf(flags);
            environment = Map.copyOf(environment);
            Objects.requireNonNull(workingDirectory, "workingDirectory");
        }
    }

    private final Map<Setting<?>, Resolved> values;
    private final String file;
    private final List<String> warnings;

    private Configuration(Map<Setting<?>, Resolved> values, String file, List<String> warnings) {
        this.values = values;
        this.file = file;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Resolves every setting of {@code catalogue}; a derived default may use any setting that does
     * not derive its own.
     *
     * @throws ConfigException for a value that is not one the setting takes, naming where it came
     *                         from; for a configuration file that is missing, unreadable or names
     *                         a setting that does not exist
     */
    public static Configuration load(List<Setting<?>> catalogue, Inputs inputs) {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        catalogue.forEach(setting -> byKey.put(setting.key(), setting));
        ConfigFile file = findFile(inputs).map(found -> ConfigFile.read(found.path(), found.name(), byKey)).orElse(null);
        Map<Setting<?>, Resolved> values = new LinkedHashMap<>();
        Setting.Values resolved = new Setting.Values() {
            @Override
            @SuppressWarnings("unchecked")
            public <V> V get(Setting<V> setting) {
                Resolved value = values.get(setting);
                if (value == null) {
                    throw new IllegalStateException(setting + " is used before it is resolved");
                }
                return (V) value.value();
            }
        };
        // Those that may derive their value last, so that what they derive from is there.
        for (boolean derived : new boolean[] {false, true}) {
            for (Setting<?> setting : catalogue) {
                if (setting.derivation().isPresent() == derived) {
                    values.put(setting, resolve(setting, inputs, file, resolved));
                }
            }
        }
        Map<Setting<?>, Resolved> inOrder = new LinkedHashMap<>();
        catalogue.forEach(setting -> inOrder.put(setting, values.get(setting)));
        return new Configuration(inOrder, file == null ? null : file.name(),
                misspeltVariables(catalogue, inputs.environment()));
    }

    private record FoundFile(Path path, String name) {}

    private static Optional<FoundFile> findFile(Inputs inputs) {
        String given = inputs.configFlag();
        String by = FILE_FLAG + " " + given;
        if (given == null || given.isBlank()) {
            given = nonBlank(inputs.environment().get(FILE_VARIABLE));
            by = FILE_VARIABLE + "=" + given;
        }
        if (given != null) {
            Path path = inputs.workingDirectory().resolve(given.strip());
            if (!Files.isRegularFile(path)) {
                throw new ConfigException(by + ": no such file" + (Files.isDirectory(path) ? " (it is a folder)" : ""));
            }
            return Optional.of(new FoundFile(path, given.strip()));
        }
        Path here = inputs.workingDirectory().resolve(FILE_NAME);
        return Files.isRegularFile(here) ? Optional.of(new FoundFile(here, here.toString())) : Optional.empty();
    }

    private static <T> Resolved resolve(Setting<T> setting, Inputs inputs, ConfigFile file, Setting.Values resolved) {
        List<String> flagged = inputs.flags().getOrDefault(setting.flag(), List.of());
        if (!flagged.isEmpty()) {
            List<String> texts = setting.isList() ? flagged : List.of(flagged.getLast());
            return new Resolved(parse(setting, texts, setting.flag()), new Source.Flag(setting.flag()));
        }
        for (String variable : setting.variables()) {
            String text = nonBlank(inputs.environment().get(variable));
            if (text != null) {
                return new Resolved(parse(setting, List.of(text), variable), new Source.Environment(variable));
            }
        }
        ConfigFile.Entry entry = file == null ? null : file.entries().get(setting.key());
        if (entry != null) {
            T value = parse(setting, entry.texts(), file.name() + " line " + entry.line() + ": " + setting.key());
            return new Resolved(setting.type().relativeTo(value, file.folder()), new Source.File(file.name(), entry.line()));
        }
        if (setting.derivation().isPresent()) {
            Setting.Derivation<T> derivation = setting.derivation().get();
            return new Resolved(derivation.value().apply(resolved), new Source.Derived(derivation.from().key(), derivation.how()));
        }
        return new Resolved(setting.defaultValue().orElse(null), new Source.Default());
    }

    @SuppressWarnings("unchecked")
    private static <T> T parse(Setting<T> setting, List<String> texts, String where) {
        Optional<T> value = setting.type() instanceof SettingType.ListType<?> list
                ? (Optional<T>) list.parseEach(texts)
                : texts.getFirst().isBlank() ? Optional.empty() : setting.type().parse(texts.getFirst());
        return value.orElseThrow(() -> new ConfigException(where + " must be " + setting.type().expected() + ", got '"
                + (setting.secret() ? MASK : String.join(", ", texts)) + "'"));
    }

    /** Warnings for {@code TASKER_*} variables that are no setting's but close to one's name. */
    private static List<String> misspeltVariables(List<Setting<?>> catalogue, Map<String, String> environment) {
        Set<String> known = new TreeSet<>(OTHER_VARIABLES);
        catalogue.forEach(setting -> known.addAll(setting.variables()));
        List<String> warnings = new ArrayList<>();
        for (String variable : new TreeSet<>(environment.keySet())) {
            if (variable.startsWith("TASKER_") && !known.contains(variable)) {
                String suggestion = Suggestions.didYouMean(variable, known);
                if (!suggestion.isEmpty()) {
                    warnings.add(variable + " is not a Tasker setting" + suggestion);
                }
            }
        }
        return warnings;
    }

    private static String nonBlank(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** The value of {@code setting}; null when it has none (no default and not given). */
    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) resolved(setting).value();
    }

    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable(get(setting));
    }

    public Source source(Setting<?> setting) {
        return resolved(setting).source();
    }

    /** Whether the user gave it, by flag, variable or file. */
    public boolean given(Setting<?> setting) {
        return source(setting).given();
    }

    /** The value as {@code config show} prints it: formatted, {@code none}, a secret masked. */
    public String shown(Setting<?> setting) {
        return shown(setting, get(setting));
    }

    @SuppressWarnings("unchecked")
    private static <T> String shown(Setting<T> setting, Object value) {
        if (value == null) {
            return "none";
        }
        return setting.secret() ? MASK : setting.type().format((T) value);
    }

    /** Where the value of {@code setting} came from, as the start of a message: {@code --slots}, {@code TASKER_PORT}. */
    public String where(Setting<?> setting) {
        return switch (source(setting)) {
            case Source.Flag flag -> flag.flag();
            case Source.Environment env -> env.variable();
            case Source.File f -> f.file() + " line " + f.line() + ": " + setting.key();
            case Source.Default d -> setting.key();
            case Source.Derived d -> setting.key();
        };
    }

    public List<Setting<?>> settings() {
        return List.copyOf(values.keySet());
    }

    /** The configuration file read, as the user named it; empty when there was none. */
    public Optional<String> file() {
        return Optional.ofNullable(file);
    }

    /** Variables that look like a misspelt setting, each a sentence. */
    public List<String> warnings() {
        return warnings;
    }

    /** Every setting, value and source, one {@code key = value (source)} each: for logs and failure messages. */
    @Override
    public String toString() {
        return values.keySet().stream().map(s -> s.key() + " = " + shown(s) + " (" + source(s).describe() + ")")
                .collect(Collectors.joining(", "));
    }

    private Resolved resolved(Setting<?> setting) {
        Resolved value = values.get(setting);
        if (value == null) {
            throw new IllegalArgumentException(setting + " is not a setting of this configuration");
        }
        return value;
    }
}
