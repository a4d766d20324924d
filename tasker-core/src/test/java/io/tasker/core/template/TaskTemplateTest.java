package io.tasker.core.template;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tasker.core.template.TemplateLoaderTest.loaded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskTemplateTest {

    @Test
    void contentHashIgnoresKeyOrderFormattingAndSpelledOutDefaults() {
        TaskTemplate original = loaded("good/linear_workflow.yaml");
        TaskTemplate reordered = loaded("same/linear_workflow_reordered.yaml");

        assertThat(reordered.contentHash()).isEqualTo(original.contentHash()).hasSize(64).matches("[0-9a-f]+");
        assertThat(reordered).isEqualTo(original);
    }

    @Test
    void contentHashTreatsEqualNumbersAlikeAndChangesWithContent() {
        TaskTemplate base = withInitialization("{\"n\": 1, \"x\": 2.50, \"nested\": {\"b\": 1, \"a\": 2}}");

        assertThat(withInitialization("{\"nested\": {\"a\": 2, \"b\": 1}, \"x\": 2.5, \"n\": 1.0}").contentHash())
                .isEqualTo(base.contentHash());
        assertThat(withInitialization("{\"n\": 2, \"x\": 2.5, \"nested\": {\"a\": 2, \"b\": 1}}").contentHash())
                .isNotEqualTo(base.contentHash());
        assertThat(withInitialization("{\"n\": \"1\", \"x\": 2.5, \"nested\": {\"a\": 2, \"b\": 1}}").contentHash())
                .isNotEqualTo(base.contentHash());
    }

    @Test
    void jsonRoundTripsWithEveryDefaultWrittenOut() {
        for (String fixture : List.of("good/linear_workflow.yaml", "good/diamond_workflow.yaml", "good/more/minimal.yml")) {
            TaskTemplate template = loaded(fixture);
            TaskTemplate back = TaskTemplate.fromJson(template.toJson());

            assertThat(back).isEqualTo(template);
            assertThat(back.contentHash()).isEqualTo(template.contentHash());
        }
        ObjectNode json = (ObjectNode) Json.parse(loaded("good/more/minimal.yml").toJson());
        assertThat(json.get("identity_strategy").asText()).isEqualTo("strict");
        assertThat(json.at("/steps/0/retry/max_attempts").asInt()).isEqualTo(3);
        assertThat(json.at("/steps/0/timeout_seconds").asInt()).isEqualTo(30);
        assertThat(json.has("input_schema")).isFalse();
    }

    @Test
    void fromJsonRefusesWhatTheLoaderWouldRefuse() {
        assertThatThrownBy(() -> TaskTemplate.fromJson("{\"namespace\": \"x\"}"))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessageContaining("name is required")
                .hasMessageContaining("template has no steps");
        assertThatThrownBy(() -> TaskTemplate.fromJson("{not json"))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessageStartingWith("not valid JSON");
    }

    @Test
    void templatesBuiltInCodeAreCheckedByTheSameRules() {
        HandlerSpec handler = new HandlerSpec("H");
        StepTemplate a = new StepTemplate("a", handler, List.of("b"));
        StepTemplate b = new StepTemplate("b", handler, List.of("a", "zz"));

        assertThatThrownBy(() -> new TaskTemplate("ns", "t", new SemVer(1, 0, 0), null, null, null, List.of(a, b)))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessage("""
                        template has 2 problems:
                          step 'b': depends on unknown step 'zz'
                          dependency cycle: a -> b -> a""");
        assertThatThrownBy(() -> new TaskTemplate("Bad", "t", new SemVer(1, 0, 0), null, null, null, List.of()))
                .hasMessageContaining("namespace 'Bad' is not a safe identifier")
                .hasMessageContaining("template has no steps");
        assertThatThrownBy(() -> new RetryPolicy(true, 0, 10, 5))
                .isInstanceOf(TemplateValidationException.class)
                .hasMessageContaining("retry.max_attempts must be at least 1, got 0")
                .hasMessageContaining("retry.max_backoff_ms (5) must not be less than retry.backoff_base_ms (10)");
        assertThatThrownBy(() -> new HandlerSpec(" ")).hasMessageContaining("handler.callable must not be blank");
        assertThatThrownBy(() -> new StepTemplate("a", handler, List.of(), null, 0))
                .hasMessage("timeout_seconds must be greater than 0, got 0");
        assertThatThrownBy(() -> new TaskTemplate("ns", "t", new SemVer(1, 0, 0), null,
                Json.parse("{\"type\": \"integr\"}"), null, List.of(new StepTemplate("a", handler, List.of()))))
                .hasMessageStartingWith("input_schema.type: does not have a value in the enumeration");
    }

    @Test
    void aTemplateCannotBeChangedThroughWhatItHandsOut() {
        TaskTemplate template = loaded("good/linear_workflow.yaml");
        String hash = template.contentHash();

        ((ObjectNode) template.inputSchema()).put("type", "array");
        template.steps().getFirst().handler().initialization().put("sneaky", true);

        assertThat(template.contentHash()).isEqualTo(hash);
        assertThatThrownBy(() -> template.steps().add(template.steps().getFirst()))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aLongChainIsCheckedWithoutRecursionAndItsClosingCycleFound() {
        HandlerSpec handler = new HandlerSpec("H");
        List<StepTemplate> chain = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            chain.add(new StepTemplate("s" + i, handler, i == 0 ? List.of() : List.of("s" + (i - 1))));
        }
        assertThat(new TaskTemplate("ns", "chain", new SemVer(1, 0, 0), null, null, null, chain).steps()).hasSize(20_000);

        chain.set(0, new StepTemplate("s0", handler, List.of("s19999")));
        assertThatThrownBy(() -> new TaskTemplate("ns", "chain", new SemVer(1, 0, 0), null, null, null, chain))
                .hasMessageStartingWith("dependency cycle: s0 -> s1 -> s2 -> ")
                .hasMessageEndingWith("s19998 -> s19999 -> s0");
    }

    @Test
    void semVerOrdersNumericallyAndParsesStrictly() {
        assertThat(SemVer.parse("1.10.0")).isGreaterThan(SemVer.parse("1.9.0")).isLessThan(SemVer.parse("2.0.0"));
        assertThat(SemVer.parse("0.0.0")).isEqualTo(new SemVer(0, 0, 0)).hasToString("0.0.0");
        assertThat(SemVer.parse("10.20.30")).hasToString("10.20.30");
        assertThatThrownBy(() -> SemVer.parse("1.2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1.2' is not MAJOR.MINOR.PATCH");
        assertThatThrownBy(() -> SemVer.parse("99999999999.0.0")).hasMessageContaining("has a part larger than");
        assertThatThrownBy(() -> SemVer.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void identityStrategiesUseTheirFileSpelling() {
        assertThat(IdentityStrategy.of("caller_key")).isEqualTo(IdentityStrategy.CALLER_KEY);
        assertThat(IdentityStrategy.ALWAYS_UNIQUE.value()).isEqualTo("always_unique");
        assertThatThrownBy(() -> IdentityStrategy.of("STRICT")).isInstanceOf(IllegalArgumentException.class);
    }

    private static TaskTemplate withInitialization(String json) {
        return new TaskTemplate("ns", "t", new SemVer(1, 0, 0), null, null, null,
                List.of(new StepTemplate("a", new HandlerSpec("H", (ObjectNode) Json.parse(json)), List.of())));
    }
}
