package io.tasker.core.template;

import io.tasker.core.internal.Jdbc;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tasker.core.template.TemplateLoaderTest.loaded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateRegistryTest extends EveryServerTest {
    private TemplateRegistry registry;

    @BeforeEach
    void createRegistry() {
        registry = new TemplateRegistry(dataSource);
    }

    @Test
    void registersANewTemplateAndItsNamespace() {
        TaskTemplate template = loaded("good/linear_workflow.yaml");

        assertThat(registry.register(template, "templates/good/linear_workflow.yaml"))
                .isEqualTo(RegistrationResult.REGISTERED);

        RegisteredTemplate found = registry.find("examples", "linear_workflow", SemVer.parse("1.0.0")).orElseThrow();
        assertThat(found.template()).isEqualTo(template);
        assertThat(found.id().version()).isEqualTo(7);
        assertThat(found.createdAt()).isNotNull();
        assertThat(registry.find("examples", "linear_workflow", SemVer.parse("1.0.1"))).isEmpty();
        assertThat(count("select count(*) from tasker_namespaces where name = 'examples'")).isEqualTo(1);
        assertThat(count("""
                select count(*) from tasker_templates
                where version_major = 1 and version_minor = 0 and version_patch = 0
                  and source = 'templates/good/linear_workflow.yaml' and content_hash = '%s'
                """.formatted(template.contentHash()))).isEqualTo(1);
    }

    @Test
    void registeringTheSameContentAgainChangesNothing() {
        registry.register(loaded("good/linear_workflow.yaml"), "a.yaml");

        assertThat(registry.register(loaded("same/linear_workflow_reordered.yaml"), "b.yaml"))
                .isEqualTo(RegistrationResult.UNCHANGED);
        assertThat(count("select count(*) from tasker_templates")).isEqualTo(1);
        assertThat(count("select count(*) from tasker_templates where source = 'a.yaml'")).isEqualTo(1);
    }

    @Test
    void refusesDifferentContentUnderARegisteredVersion() {
        TaskTemplate template = loaded("good/linear_workflow.yaml");
        registry.register(template, null);
        TaskTemplate changed = new TaskTemplate(template.namespace(), template.name(), template.version(),
                "changed", template.inputSchema(), template.identityStrategy(), template.steps());

        assertThatThrownBy(() -> registry.register(changed, null))
                .isInstanceOf(TemplateConflictException.class)
                .hasMessage("examples/linear_workflow@1.0.0 is already registered with different content; "
                        + "bump the version to register a change");
        assertThat(registry.find("examples", "linear_workflow", template.version()).orElseThrow().template())
                .isEqualTo(template);
    }

    @Test
    void registerOrReplaceReplacesChangedContentThatNoTaskUses() {
        TaskTemplate template = loaded("good/linear_workflow.yaml");
        registry.register(template, "old.yaml");
        TaskTemplate changed = new TaskTemplate(template.namespace(), template.name(), template.version(),
                "changed", template.inputSchema(), template.identityStrategy(), template.steps());

        RegistrationResult result = Jdbc.inTransaction(dataSource, c -> registry.registerOrReplace(c, changed, "new.yaml"));
        RegistrationResult again = Jdbc.inTransaction(dataSource, c -> registry.registerOrReplace(c, changed, "new.yaml"));

        assertThat(result).isEqualTo(RegistrationResult.REPLACED);
        assertThat(again).isEqualTo(RegistrationResult.UNCHANGED);
        assertThat(registry.find("examples", "linear_workflow", template.version()).orElseThrow().template()
                .description()).isEqualTo("changed");
    }

    @Test
    void newestComparesVersionsAsNumbers() {
        for (String version : List.of("1.9.0", "1.10.0", "1.2.0", "0.99.99")) {
            registry.register(version(version), null);
        }
        registry.register(loaded("good/linear_workflow.yaml"), null);

        assertThat(registry.newest("examples", "versioned").orElseThrow().template().version())
                .isEqualTo(SemVer.parse("1.10.0"));
        assertThat(registry.newest("examples", "nothing_here")).isEmpty();
        assertThat(registry.list()).extracting(r -> r.template().key()).containsExactly(
                "examples/linear_workflow@1.0.0",
                "examples/versioned@0.99.99",
                "examples/versioned@1.2.0",
                "examples/versioned@1.9.0",
                "examples/versioned@1.10.0");
    }

    @Test
    void registersInTheCallersTransaction() {
        TaskTemplate template = loaded("good/diamond_workflow.yaml");

        assertThatThrownBy(() -> Jdbc.inTransaction(dataSource, connection -> {
            assertThat(registry.register(connection, template, null)).isEqualTo(RegistrationResult.REGISTERED);
            throw new IllegalStateException("the caller's work failed");
        })).hasMessage("the caller's work failed");
        assertThat(registry.list()).isEmpty();
        assertThat(count("select count(*) from tasker_namespaces")).isZero();

        Jdbc.inTransaction(dataSource, connection -> registry.register(connection, template, null));
        assertThat(registry.list()).singleElement().satisfies(r -> assertThat(r.template()).isEqualTo(template));
    }

    @Test
    void concurrentRegistrationsOfOneTemplateRegisterItOnce() throws Exception {
        TaskTemplate template = loaded("good/linear_workflow.yaml");
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<RegistrationResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return registry.register(template, null);
                }));
            }
            start.countDown();
            List<RegistrationResult> outcomes = new ArrayList<>();
            for (Future<RegistrationResult> result : results) {
                outcomes.add(result.get());
            }
            assertThat(outcomes).containsOnlyOnce(RegistrationResult.REGISTERED)
                    .filteredOn(RegistrationResult.UNCHANGED::equals).hasSize(threads - 1);
        }
        assertThat(count("select count(*) from tasker_templates")).isEqualTo(1);
    }

    private static TaskTemplate version(String version) {
        return TemplateLoader.parse("""
                namespace: examples
                name: versioned
                version: %s
                steps: [{name: a, handler: {callable: A}}]
                """.formatted(version), "versioned.yaml").orThrow();
    }

    private long count(String sql) {
        return Jdbc.withConnection(dataSource, c -> Jdbc.queryOne(c, sql, row -> row.getLong(1)).orElseThrow());
    }
}
