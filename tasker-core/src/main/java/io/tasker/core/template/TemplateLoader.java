package io.tasker.core.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Loads task templates from YAML, one template per file. Loading never throws for a bad template:
 * it returns a {@link TemplateLoadResult.Rejected} with every problem in the file, each with its
 * line and step, so a tool can show them all at once.
 *
 * <p>A template may change its steps per environment ({@code environments:}, as in tasker-core);
 * the overrides of the environment it is loaded for are applied. The methods without an
 * environment load for {@code TASKER_ENV}, else {@value #DEFAULT_ENVIRONMENT}: they read the process
 * environment, for use as a library; Tasker's commands pass the configured environment instead.
 */
public final class TemplateLoader {
    public static final String DEFAULT_ENVIRONMENT = "development";
    public static final String ENVIRONMENT_VARIABLE = "TASKER_ENV";

    private TemplateLoader() {}

    /** The environment {@code variables} name: {@code TASKER_ENV} unless blank, else {@value #DEFAULT_ENVIRONMENT}. */
    public static String environment(Map<String, String> variables) {
        String named = variables.get(ENVIRONMENT_VARIABLE);
        return named == null || named.isBlank() ? DEFAULT_ENVIRONMENT : named.strip();
    }

    public static TemplateLoadResult load(Path file) {
        return load(file, environment(System.getenv()));
    }

    public static TemplateLoadResult load(Path file, String environment) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (CharacterCodingException e) {
            return rejected(source, "file is not UTF-8 text");
        } catch (IOException e) {
            return rejected(source, "cannot read the file: " + e);
        }
        return parse(yaml, source, environment);
    }

    /** Parses template text; {@code sourceName} is what problems name as the file. */
    public static TemplateLoadResult parse(String yaml, String sourceName) {
        return parse(yaml, sourceName, environment(System.getenv()));
    }

    public static TemplateLoadResult parse(String yaml, String sourceName, String environment) {
        return TemplateReader.readYaml(yaml, sourceName, Objects.requireNonNull(environment, "environment"));
    }

    /**
     * Loads every given file, and every {@code *.yaml} and {@code *.yml} file below every given
     * directory, in path order within a directory.
     */
    public static List<TemplateLoadResult> loadAll(Collection<Path> filesOrDirectories) {
        return loadAll(filesOrDirectories, environment(System.getenv()));
    }

    public static List<TemplateLoadResult> loadAll(Collection<Path> filesOrDirectories, String environment) {
        List<TemplateLoadResult> results = new ArrayList<>();
        for (Path path : filesOrDirectories) {
            if (!Files.isDirectory(path)) {
                results.add(load(path, environment));
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                files.filter(Files::isRegularFile)
                        .filter(file -> {
                            String name = file.getFileName().toString();
                            return name.endsWith(".yaml") || name.endsWith(".yml");
                        })
                        .sorted()
                        .forEach(file -> results.add(load(file, environment)));
            } catch (IOException | UncheckedIOException e) {
                results.add(rejected(path.toString(), "cannot list the directory: " + e));
            }
        }
        return results;
    }

    private static TemplateLoadResult rejected(String source, String message) {
        return new TemplateLoadResult.Rejected(source, List.of(new TemplateProblem(source, null, null, message)));
    }
}
