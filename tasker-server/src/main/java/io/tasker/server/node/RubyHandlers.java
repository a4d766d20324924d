package io.tasker.server.node;

import io.tasker.core.TaskerException;
import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoader;
import io.tasker.core.template.TemplateProblem;
import io.tasker.ruby.RubyRuntime;
import org.jruby.Ruby;
import org.jruby.RubyArray;
import org.jruby.exceptions.RaiseException;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import static org.jruby.api.Create.newString;

/**
 * The Ruby step handlers a node's worker runs: the bundled examples (the classes in
 * tasker-dev's {@code src/main/ruby} and the {@code examples_ruby} templates) and folders of
 * anyone's handler code, each with the templates in it.
 *
 * <p>Loading is a step of its own, which commands take before they start anything long-lived:
 * the code runs as it loads, and a file that does not should cost no database start and leave
 * nothing running behind the error.
 */
public record RubyHandlers(boolean examples, List<Path> directories) {
    /** The Ruby feature that defines the example handlers. */
    private static final String EXAMPLES_FEATURE = "examples";

    public RubyHandlers {
        directories = List.copyOf(directories);
    }

    /** The examples and nothing else. */
    public static RubyHandlers examplesOnly() {
        return new RubyHandlers(true, List.of());
    }

    /** The templates that come with these handlers, for the default environment: see {@link #templates(String, boolean)}. */
    public List<TemplateLoadResult> templates() {
        return templates(TemplateLoader.DEFAULT_ENVIRONMENT, true);
    }

    /**
     * The templates that come with these handlers: the {@code examples_ruby} templates, and, when
     * {@code searchFolders}, every {@code *.yaml}/{@code *.yml} in each folder's
     * {@linkplain #templateFolders() template folders}. Reading them needs no JRuby, so a broken one
     * is reported before JRuby's start-up is paid; a folder that does not exist is a problem too.
     *
     * @param environment whose {@code environments:} overrides the templates get
     */
    public List<TemplateLoadResult> templates(String environment, boolean searchFolders) {
        List<TemplateLoadResult> results = new ArrayList<>();
        if (examples) {
            results.addAll(ClasspathTemplates.load(ClasspathTemplates.RUBY_EXAMPLES, environment));
        }
        if (!searchFolders) {
            return results;
        }
        for (Path directory : directories) {
            if (Files.isDirectory(directory)) {
                results.addAll(TemplateLoader.loadAll(templateFolders(directory), environment));
            } else {
                String source = directory.toString();
                results.add(new TemplateLoadResult.Rejected(source,
                        List.of(new TemplateProblem(source, null, null, "no such folder of Ruby handlers"))));
            }
        }
        return results;
    }

    /** The folders templates are read from: each handler folder's {@link #templateFolders(Path)}, in order. */
    public List<Path> templateFolders() {
        return directories.stream().filter(Files::isDirectory).flatMap(d -> templateFolders(d).stream()).toList();
    }

    /**
     * Where a folder of handlers keeps its templates. A project laid out as tasker-core's keeps them
     * in folders of their own, {@code templates} (e.g. {@code spec/fixtures/templates}) or
     * {@code config/tasks}, beside YAML that is not a template (handler configs, fixtures, older
     * formats); when the folder has any such folder, only those are read (a hidden folder, such as
     * {@code .git}, is not looked into). Otherwise the whole folder is.
     */
    public static List<Path> templateFolders(Path directory) {
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(directory) && name.startsWith(".")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (isTemplateFolder(dir)) {
                        found.add(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        found.sort(null);
        return found.isEmpty() ? List.of(directory) : List.copyOf(found);
    }

    private static boolean isTemplateFolder(Path dir) {
        Path name = dir.getFileName();
        Path parent = dir.getParent() == null ? null : dir.getParent().getFileName();
        return name != null && (name.toString().equals("templates")
                || name.toString().equals("tasks") && parent != null && parent.toString().equals("config"));
    }

    /**
     * Starts this JVM's JRuby runtime (seconds, the first time) and loads the handler code: the
     * examples, then every {@code *.rb} below each folder in path order, so the handler classes
     * they define are registered.
     *
     * @throws TaskerException naming the file and line of the first file that did not load
     */
    public Loaded load() {
        Ruby ruby = RubyRuntime.get();
        ThreadContext context = ruby.getCurrentContext();
        List<Path> files = new ArrayList<>();
        // Before any handler file runs, so what they log at load time goes where the rest goes.
        RubyWorker.logThroughSlf4j();
        try {
            if (examples) {
                RubyRuntime.require(EXAMPLES_FEATURE);
            }
            IRubyObject loader = ruby.evalScriptlet("TaskerCore::Registry::HandlerLoader");
            for (Path directory : directories) {
                IRubyObject loaded = loader.callMethod(context, "load_directory",
                        newString(context, directory.toAbsolutePath().toString()));
                for (Object file : (RubyArray<?>) loaded) {
                    files.add(Path.of(file.toString()));
                }
            }
        } catch (RaiseException e) {
            throw new TaskerException("cannot load the Ruby handlers: " + e.getException().message(context).asJavaString(),
                    e);
        }
        return new Loaded(this, files);
    }

    /** Handlers whose code is loaded: what the Ruby worker can run now. */
    public record Loaded(RubyHandlers handlers, List<Path> files) {
        public Loaded {
            files = List.copyOf(files);
        }
    }
}
