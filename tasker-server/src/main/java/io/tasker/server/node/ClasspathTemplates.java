package io.tasker.server.node;

import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateProblem;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Templates shipped as resources inside a jar. A folder in a jar cannot be listed portably, so
 * each folder carries an {@code index.txt} naming its template files, one a line ({@code #}
 * starts a comment).
 */
public final class ClasspathTemplates {
    /** The example templates of the tasker-dev module, with Java handlers. */
    public static final String EXAMPLES = "tasker/templates/examples";

    /** The same workflows in namespace {@code examples_ruby}, with the Ruby handlers of tasker-dev. */
    public static final String RUBY_EXAMPLES = "tasker/templates/examples_ruby";

    private ClasspathTemplates() {}

    /** The templates of {@code folder}, with the overrides of the default environment. */
    public static List<TemplateLoadResult> load(String folder) {
        return load(folder, TemplateLoader.DEFAULT_ENVIRONMENT);
    }

    /** The templates of {@code folder}, with the {@code environments:} overrides of {@code environment}. */
    public static List<TemplateLoadResult> load(String folder, String environment) {
        String index = folder + "/index.txt";
        String listing = read(index);
        if (listing == null) {
            return List.of(rejected(index, "not on the classpath"));
        }
        return listing.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(file -> loadOne(folder + "/" + file, environment))
                .toList();
    }

    private static TemplateLoadResult loadOne(String resource, String environment) {
        String yaml = read(resource);
        return yaml == null
                ? rejected(resource, "listed in index.txt but not on the classpath")
                : TemplateLoader.parse(yaml, "classpath:" + resource, environment);
    }

    private static String read(String resource) {
        try (InputStream in = ClasspathTemplates.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + " from the classpath", e);
        }
    }

    private static TemplateLoadResult rejected(String resource, String message) {
        String source = "classpath:" + resource;
        return new TemplateLoadResult.Rejected(source, List.of(new TemplateProblem(source, null, null, message)));
    }
}
