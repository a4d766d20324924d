package io.tasker.core.template;

import io.tasker.core.template.TemplateLoadResult.Loaded;
import io.tasker.core.template.TemplateLoadResult.Rejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateLoaderTest {

    @Test
    void loadsAGoodTemplateWithDefaultsFilledIn() {
        TaskTemplate template = loaded("good/linear_workflow.yaml");

        assertThat(template.key()).isEqualTo("examples/linear_workflow@1.0.0");
        assertThat(template.version()).isEqualTo(new SemVer(1, 0, 0));
        assertThat(template.description()).isEqualTo("Four steps in a line");
        assertThat(template.identityStrategy()).isEqualTo(IdentityStrategy.STRICT);
        assertThat(template.inputSchema().at("/required/0").asText()).isEqualTo("even_number");
        assertThat(template.steps()).extracting(StepTemplate::name).containsExactly("step_a", "step_b", "step_c", "step_d");
        StepTemplate first = template.step("step_a").orElseThrow();
        assertThat(first.handler().callable()).isEqualTo("io.tasker.examples.math.SquareStep");
        assertThat(first.handler().initialization().isEmpty()).isTrue();
        assertThat(first.dependsOn()).isEmpty();
        assertThat(first.retry()).isEqualTo(new RetryPolicy(true, 3, 1_000, 30_000)).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(first.timeoutSeconds()).isEqualTo(30);
        assertThat(template.step("step_d").orElseThrow().dependsOn()).containsExactly("step_c");
        assertThat(template.step("nope")).isEmpty();
    }

    @Test
    void keepsWhatATemplateSetsAndDefaultsTheRest() {
        TaskTemplate template = loaded("good/diamond_workflow.yaml");

        assertThat(template.identityStrategy()).isEqualTo(IdentityStrategy.CALLER_KEY);
        assertThat(template.description()).isNull();
        assertThat(template.inputSchema()).isNull();
        StepTemplate start = template.step("start").orElseThrow();
        assertThat(start.retry()).isEqualTo(new RetryPolicy(false, 3, 1_000, 30_000));
        assertThat(start.timeoutSeconds()).isEqualTo(5);
        assertThat(start.handler().initialization().get("multiplier").intValue()).isEqualTo(3);
        assertThat(start.handler().initialization().get("big").bigIntegerValue())
                .hasToString("123456789012345678901234567890");
        assertThat(start.handler().initialization().get("ratio").decimalValue()).isEqualByComparingTo("0.125");
        assertThat(template.step("left").orElseThrow().retry()).isEqualTo(new RetryPolicy(true, 5, 200, 200));
        assertThat(template.step("join").orElseThrow().dependsOn()).containsExactly("left", "right");
    }

    @Test
    void reportsAYamlSyntaxErrorWithItsLine() {
        assertThat(problems("invalid/syntax_error.yaml")).containsExactly(
                "templates/invalid/syntax_error.yaml:7: YAML syntax error: expected ',' or '}', but got : "
                        + "(while parsing a flow mapping started on line 6)");
    }

    @Test
    void reportsEveryDependencyCycleAsThePathOfItsSteps() {
        assertThat(problems("invalid/cycle.yaml")).containsExactly(
                "templates/invalid/cycle.yaml:7: dependency cycle: a -> b -> c -> a",
                "templates/invalid/cycle.yaml:16: dependency cycle: x -> y -> x");
    }

    @Test
    void reportsADependencyOnAnUnknownStepWithAHintWhenOneIsClose() {
        assertThat(problems("invalid/unknown_dependency.yaml")).containsExactly(
                "templates/invalid/unknown_dependency.yaml:12: step 'b': depends on unknown step 'zz'",
                "templates/invalid/unknown_dependency.yaml:13: step 'b': depends on unknown step 'stepp_c'; did you mean 'step_c'?");
    }

    @Test
    void reportsAStepThatDependsOnItself() {
        assertThat(problems("invalid/self_dependency.yaml")).containsExactly(
                "templates/invalid/self_dependency.yaml:7: step 'a': depends on itself");
    }

    @Test
    void reportsDuplicateStepNamesAndRepeatedDependencies() {
        assertThat(problems("invalid/duplicate_steps.yaml")).containsExactly(
                "templates/invalid/duplicate_steps.yaml:9: step 'a': duplicate step name 'a'; it is first defined at line 5",
                "templates/invalid/duplicate_steps.yaml:11: step 'a': lists 'b' more than once in depends_on");
    }

    @Test
    void reportsAMissingOrBlankHandler() {
        assertThat(problems("invalid/missing_callable.yaml")).containsExactly(
                "templates/invalid/missing_callable.yaml:6: step 'no_callable': handler.callable is required: name the class that runs this step",
                "templates/invalid/missing_callable.yaml:9: step 'blank_callable': handler.callable must not be blank: name the class that runs this step",
                "templates/invalid/missing_callable.yaml:10: step 'no_handler': handler is required: give handler.callable, the class that runs this step");
    }

    @Test
    void reportsABadVersion() {
        assertThat(problems("invalid/bad_version.yaml")).containsExactly(
                "templates/invalid/bad_version.yaml:3: version '1.0' is not MAJOR.MINOR.PATCH with digits only and no leading zeros, e.g. 1.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.0.0-beta", "v1.0.0", "01.0.0", "1.0.0.0", "''"})
    void refusesVersionsThatAreNotPlainSemver(String version) {
        String yaml = """
                namespace: examples
                name: versions
                version: %s
                steps: [{name: a, handler: {callable: A}}]
                """.formatted(version);
        assertThat(problems(yaml, "v.yaml")).singleElement().asString()
                .startsWith("v.yaml:3: version '").contains("is not MAJOR.MINOR.PATCH");
    }

    @Test
    void reportsUnsafeIdentifiers() {
        assertThat(problems("invalid/unsafe_identifiers.yaml")).containsExactly(
                "templates/invalid/unsafe_identifiers.yaml:1: namespace 'Examples' is not a safe identifier: "
                        + "use lowercase letters, digits and _, start with a letter, at most 48 characters",
                "templates/invalid/unsafe_identifiers.yaml:2: name 'linear-workflow' is not a safe identifier: "
                        + "use lowercase letters, digits and _, start with a letter, at most 48 characters",
                "templates/invalid/unsafe_identifiers.yaml:5: step '1st_step': step name '1st_step' is not valid: "
                        + "use letters, digits and _, start with a letter, at most 64 characters");
    }

    @Test
    void reportsUnknownKeysAtEveryLevelWithAHintWhenOneIsClose() {
        assertThat(problems("invalid/unknown_keys.yaml")).containsExactly(
                "templates/invalid/unknown_keys.yaml:4: unknown key 'descripton' in the template; did you mean 'description'?",
                "templates/invalid/unknown_keys.yaml:9: step 'a': unknown key 'class' in handler; expected one of callable, initialization, method",
                "templates/invalid/unknown_keys.yaml:12: step 'b': unknown key 'depends-on' in step; did you mean 'depends_on'?",
                "templates/invalid/unknown_keys.yaml:14: step 'b': unknown key 'max_attempt' in retry; did you mean 'max_attempts'?",
                "templates/invalid/unknown_keys.yaml:17: step 'c': unknown key 'timeout' in step; did you mean 'timeout_seconds'?",
                "templates/invalid/unknown_keys.yaml:18: step 'c': unknown key 'colour' in step; "
                        + "expected one of name, type, handler, depends_on, retry, timeout_seconds, batch_config");
    }

    @Test
    void reportsValuesOfTheWrongType() {
        assertThat(problems("invalid/wrong_types.yaml")).containsExactly(
                "templates/invalid/wrong_types.yaml:4: identity_strategy 'sometimes' is not one of strict, caller_key, always_unique",
                "templates/invalid/wrong_types.yaml:7: step 'a': handler.initialization must be a mapping, got a list",
                "templates/invalid/wrong_types.yaml:9: step 'a': retry.retryable must be true or false, got text \"yes\"",
                "templates/invalid/wrong_types.yaml:10: step 'a': retry.max_attempts must be a whole number, got text \"three\"",
                "templates/invalid/wrong_types.yaml:11: step 'a': retry.backoff_base_ms must be a whole number, got number 1.5",
                "templates/invalid/wrong_types.yaml:12: step 'a': timeout_seconds is out of range, got 99999999999",
                "templates/invalid/wrong_types.yaml:14: step 'b': handler must be a mapping, got text \"B\"",
                "templates/invalid/wrong_types.yaml:15: step 'b': depends_on must be a list, got text \"a\"",
                "templates/invalid/wrong_types.yaml:16: step #3 must be a mapping with name and handler, got text \"just_a_string\"",
                "templates/invalid/wrong_types.yaml:19: step 'c': depends_on entries must be step names, got number 7",
                "templates/invalid/wrong_types.yaml:20: step 'c': retry must be a mapping, got number 3");
    }

    @Test
    void reportsRetryAndTimeoutLimits() {
        assertThat(problems("invalid/retry_limits.yaml")).containsExactly(
                "templates/invalid/retry_limits.yaml:8: step 'a': retry.max_attempts must be at least 1, got 0",
                "templates/invalid/retry_limits.yaml:9: step 'a': retry.backoff_base_ms must not be negative, got -1",
                "templates/invalid/retry_limits.yaml:14: step 'b': retry.max_backoff_ms (1000) must not be less than retry.backoff_base_ms (5000)",
                "templates/invalid/retry_limits.yaml:17: step 'c': timeout_seconds must be greater than 0, got 0");
    }

    @Test
    void reportsATemplateWithoutSteps() {
        assertThat(problems("invalid/no_steps.yaml")).containsExactly(
                "templates/invalid/no_steps.yaml:4: template has no steps: list at least one under 'steps'");
        assertThat(problems("namespace: a\nname: b\nversion: 1.0.0\n", "absent.yaml")).containsExactly(
                "absent.yaml:1: template has no steps: list at least one under 'steps'");
    }

    @Test
    void reportsAnInputSchemaThatIsNotASchema() {
        assertThat(problems("invalid/input_schema_not_object.yaml")).containsExactly(
                "templates/invalid/input_schema_not_object.yaml:4: input_schema must be a mapping (a JSON Schema object), got a list");
        assertThat(problems("invalid/input_schema_invalid.yaml")).containsExactly(
                "templates/invalid/input_schema_invalid.yaml:6: input_schema.required: string found, array expected",
                "templates/invalid/input_schema_invalid.yaml:9: input_schema.properties.even_number.type: does not have a value "
                        + "in the enumeration [\"array\", \"boolean\", \"integer\", \"null\", \"number\", \"object\", \"string\"]");
    }

    @Test
    void reportsEveryProblemInAFileInLineOrder() {
        assertThat(problems("invalid/every_problem.yaml")).containsExactly(
                "templates/invalid/every_problem.yaml:1: namespace 'Bad-Namespace' is not a safe identifier: "
                        + "use lowercase letters, digits and _, start with a letter, at most 48 characters",
                "templates/invalid/every_problem.yaml:3: version 'v1' is not MAJOR.MINOR.PATCH with digits only and no leading zeros, e.g. 1.0.0",
                "templates/invalid/every_problem.yaml:4: unknown key 'stepz' in the template; did you mean 'steps'?",
                "templates/invalid/every_problem.yaml:6: dependency cycle: a -> b -> c -> a",
                "templates/invalid/every_problem.yaml:10: step 'b': handler.callable must not be blank: name the class that runs this step",
                "templates/invalid/every_problem.yaml:11: step 'b': depends on itself",
                "templates/invalid/every_problem.yaml:11: step 'b': depends on unknown step 'nope'",
                "templates/invalid/every_problem.yaml:12: step 'b': retry.max_attempts must be at least 1, got 0",
                "templates/invalid/every_problem.yaml:15: step 'c': unknown key 'depends-on' in step; did you mean 'depends_on'?");
    }

    @Test
    void reportsProblemsOfTheFileItselfEvenBeforeATemplate() {
        assertThat(problems("", "empty.yaml")).containsExactly("empty.yaml: file is empty; expected a template");
        assertThat(problems("- a\n- b\n", "list.yaml")).containsExactly(
                "list.yaml:1: a template must be a mapping with namespace, name, version and steps, got a list");
        assertThat(problems("""
                namespace: examples
                name: one
                version: 1.0.0
                steps: [{name: a, handler: {callable: A}}]
                ---
                namespace: examples
                """, "two.yaml")).containsExactly(
                "two.yaml:6: a file holds one template; put this second YAML document in its own file");
        assertThat(problems("""
                namespace: examples
                name: one
                version: 1.0.0
                name: two
                steps: [{name: a, handler: {callable: A}}]
                """, "dup.yaml")).containsExactly("dup.yaml:4: duplicate key 'name'; it is first set on line 2");
        assertThat(problems("""
                namespace: &ns examples
                name: *ns
                version: 1.0.0
                steps: [{name: a, handler: {callable: A}}]
                """, "alias.yaml")).containsExactly(
                "alias.yaml:2: YAML aliases (*ns) are not supported; write the value out");
    }

    @Test
    void problemsFormatWithoutThePartsTheyDoNotHave() {
        assertThat(new TemplateProblem("t.yaml", 12, "b", "depends on unknown step 'zz'").format())
                .isEqualTo("t.yaml:12: step 'b': depends on unknown step 'zz'");
        assertThat(new TemplateProblem("t.yaml", null, null, "m").format()).isEqualTo("t.yaml: m");
        assertThat(new TemplateProblem(null, 3, null, "m").format()).isEqualTo("line 3: m");
        assertThat(new TemplateProblem(null, null, "b", "m").format()).isEqualTo("step 'b': m");
        assertThat(new TemplateProblem(null, null, null, "m").format()).isEqualTo("m");
    }

    @Test
    void orThrowGivesTheTemplateOrAnExceptionWithEveryProblem() {
        TemplateLoadResult rejected = TemplateLoader.parse(read("invalid/cycle.yaml"), "cycle.yaml");

        assertThatThrownBy(rejected::orThrow)
                .isInstanceOf(TemplateValidationException.class)
                .isInstanceOf(io.tasker.core.TaskerException.class)
                .hasMessage("""
                        template has 2 problems:
                          cycle.yaml:7: dependency cycle: a -> b -> c -> a
                          cycle.yaml:16: dependency cycle: x -> y -> x""")
                .satisfies(e -> assertThat(((TemplateValidationException) e).problems()).hasSize(2));
        assertThat(TemplateLoader.parse(read("good/linear_workflow.yaml"), "ok.yaml").orThrow().name())
                .isEqualTo("linear_workflow");
    }

    @Test
    void loadsAFileNamingItAsTheSource() {
        Path file = fixture("invalid/self_dependency.yaml");
        TemplateLoadResult result = TemplateLoader.load(file);

        assertThat(result.source()).isEqualTo(file.toString());
        assertThat(((Rejected) result).problems()).singleElement()
                .satisfies(problem -> {
                    assertThat(problem.source()).isEqualTo(file.toString());
                    assertThat(problem.line()).isEqualTo(7);
                    assertThat(problem.step()).isEqualTo("a");
                });
    }

    @Test
    void loadAllWalksDirectoriesForYamlFilesInPathOrder(@TempDir Path dir) throws IOException {
        Path good = fixture("good");
        Path missing = dir.resolve("missing.yaml");
        Path notUtf8 = Files.write(dir.resolve("latin1.yaml"), new byte[] {'n', ':', ' ', (byte) 0xE9, '\n'});

        List<TemplateLoadResult> results = TemplateLoader.loadAll(List.of(good, missing, notUtf8));

        assertThat(results).extracting(TemplateLoadResult::source).containsExactly(
                good.resolve("diamond_workflow.yaml").toString(),
                good.resolve("linear_workflow.yaml").toString(),
                good.resolve("more/minimal.yml").toString(),
                missing.toString(),
                notUtf8.toString());
        assertThat(results.subList(0, 3)).allSatisfy(result -> assertThat(result).isInstanceOf(Loaded.class));
        assertThat(((Rejected) results.get(3)).problems().getFirst().message()).startsWith("cannot read the file");
        assertThat(((Rejected) results.get(4)).problems().getFirst().message()).isEqualTo("file is not UTF-8 text");
    }

    static TaskTemplate loaded(String fixture) {
        TemplateLoadResult result = TemplateLoader.parse(read(fixture), "templates/" + fixture);
        assertThat(result).isInstanceOf(Loaded.class);
        return ((Loaded) result).template();
    }

    private static List<String> problems(String fixture) {
        return problems(read(fixture), "templates/" + fixture);
    }

    private static List<String> problems(String yaml, String source) {
        TemplateLoadResult result = TemplateLoader.parse(yaml, source);
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).problems().stream().map(TemplateProblem::format).toList();
    }

    static String read(String fixture) {
        try {
            return Files.readString(fixture(fixture));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path fixture(String name) {
        try {
            return Path.of(TemplateLoaderTest.class.getResource("/templates/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
