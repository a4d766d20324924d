package io.tasker.core.template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads task templates from YAML, one template per file. Loading never throws for a bad template:
 * it returns a {@link TemplateLoadResult.Rejected} with every problem in the file, each with its
 * line and step, so a tool can show them all at once.
 */
public final class TemplateLoader {
    private TemplateLoader() {}

    public static TemplateLoadResult load(Path file) {
        String source = file.toString();
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (CharacterCodingException e) {
            return rejected(source, "file is not UTF-8 text");
        } catch (IOException e) {
            return rejected(source, "cannot read the file: " + e);
        }
        return parse(yaml, source);
    }

    /** Parses template text; {@code sourceName} is what problems name as the file. */
    public static TemplateLoadResult parse(String yaml, String sourceName) {
        return TemplateReader.readYaml(yaml, sourceName);
    }

    /**
     * Loads every given file, and every {@code *.yaml} and {@code *.yml} file below every given
     * directory, in path order within a directory.
     */
    public static List<TemplateLoadResult> loadAll(Collection<Path> filesOrDirectories) {
        List<TemplateLoadResult> results = new ArrayList<>();
        for (Path path : filesOrDirectories) {
            if (!Files.isDirectory(path)) {
                results.add(load(path));
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                files.filter(Files::isRegularFile)
                        .filter(file -> {
                            String name = file.getFileName().toString();
                            return name.endsWith(".yaml") || name.endsWith(".yml");
                        })
                        .sorted()
                        .forEach(file -> results.add(load(file)));
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
