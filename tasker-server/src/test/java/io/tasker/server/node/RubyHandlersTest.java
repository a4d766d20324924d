package io.tasker.server.node;

import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoadResult.Loaded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the templates of a folder of Ruby handlers are read from; no JRuby is needed for it. */
class RubyHandlersTest {
    private static final String TEMPLATE = """
            name: %s
            namespace_name: acme
            version: 1.0.0
            steps:
              - name: only
                handler: {callable: Acme::Only}
            """;
    /** tasker-core's Rails-era handler configuration, which it keeps beside its handlers. */
    private static final String RAILS_ERA = """
            name: legacy
            namespace_name: acme
            version: 1.0.0
            task_handler_class: LegacyHandler
            step_templates:
              - name: only
                handler_class: OnlyHandler
            """;

    @TempDir
    Path handlers;

    @Test
    void aFolderInTaskerCoresLayoutIsReadOnlyInItsTemplateFolders() throws IOException {
        write("spec/fixtures/templates/first.yaml", TEMPLATE.formatted("first"));
        write("spec/fixtures/templates/more/second.yml", TEMPLATE.formatted("second"));
        write("config/tasks/third.yaml", TEMPLATE.formatted("third"));
        write("spec/handlers/examples/legacy/config/legacy_handler.yaml", RAILS_ERA);
        write("spec/handlers/examples/legacy/step_handlers/only_handler.rb", "class OnlyHandler; end\n");
        write(".git/templates/hooks.yaml", "not: a template\n");
        RubyHandlers ruby = new RubyHandlers(false, List.of(handlers));

        List<TemplateLoadResult> results = ruby.templates("development", true);

        assertThat(ruby.templateFolders()).containsExactly(
                handlers.resolve("config/tasks"), handlers.resolve("spec/fixtures/templates"));
        assertThat(results).allSatisfy(result -> assertThat(result).isInstanceOf(Loaded.class));
        assertThat(results).extracting(result -> ((Loaded) result).template().name())
                .containsExactly("third", "first", "second");
    }

    @Test
    void aFolderWithoutTemplateFoldersIsReadWhole() throws IOException {
        write("acme/only_handler.rb", "class OnlyHandler; end\n");
        write("acme/only.yaml", TEMPLATE.formatted("only"));
        write("acme/config/settings.yaml", TEMPLATE.formatted("settings"));
        RubyHandlers ruby = new RubyHandlers(false, List.of(handlers));

        assertThat(ruby.templateFolders()).containsExactly(handlers);
        assertThat(ruby.templates("development", true)).extracting(TemplateLoadResult::source).containsExactly(
                handlers.resolve("acme/config/settings.yaml").toString(), handlers.resolve("acme/only.yaml").toString());
    }

    @Test
    void notSearchingTheFoldersLeavesTheExamplesOnly() throws IOException {
        write("templates/only.yaml", TEMPLATE.formatted("only"));

        assertThat(new RubyHandlers(false, List.of(handlers)).templates("development", false)).isEmpty();
        assertThat(new RubyHandlers(true, List.of(handlers)).templates("development", false))
                .extracting(TemplateLoadResult::source)
                .allSatisfy(source -> assertThat(source).startsWith("classpath:" + ClasspathTemplates.RUBY_EXAMPLES));
    }

    private void write(String file, String text) throws IOException {
        Path path = handlers.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
