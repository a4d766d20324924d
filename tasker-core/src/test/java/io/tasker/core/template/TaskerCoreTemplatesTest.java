package io.tasker.core.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TemplateLoadResult.Loaded;
import io.tasker.core.template.TemplateLoadResult.Rejected;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates written for tasker-core, both generations of its format, load unchanged. */
class TaskerCoreTemplatesTest {
    /** tasker-core's first generation: a task_handler, and retry.limit, which it never read. */
    static final String OLD_GENERATION = """
            ---
            name: mathematical_sequence
            namespace_name: linear_workflow
            version: 1.0.0
            description: "Sequential operations: square, then add"
            metadata:
              author: Ruby FFI Implementation
              tags:
                - namespace:linear_workflow
                - pattern:linear
              documentation_url:
              created_at: "2025-09-24T00:00:00Z"
            task_handler:
              callable: LinearWorkflow::LinearWorkflowHandler
              initialization:
                input_validation:
                  required_fields: [even_number]
            system_dependencies:
              primary: default
              secondary: []
            domain_events: []
            input_schema:
              type: object
              required: [even_number]
              properties:
                even_number: {type: integer, minimum: 2}
            steps:
              - name: square
                description: "Square the input"
                handler:
                  callable: LinearWorkflow::StepHandlers::SquareHandler
                  initialization:
                    operation: square
                system_dependency:
                dependencies: []
                retry:
                  retryable: true
                  limit: 3
                  backoff: exponential
                  backoff_base_ms: 1000
                  max_backoff_ms: 30000
                timeout_seconds: 30
                publishes_events: []
              - name: add
                description: "Add a constant"
                handler:
                  callable: LinearWorkflow::StepHandlers::AddHandler
                  initialization:
                    operation: add
                    constant: 10
                system_dependency:
                dependencies:
                  - square
                retry:
                  retryable: false
                  limit: 0
                  backoff: exponential
                  backoff_base_ms: 100
                  max_backoff_ms: 1000
                timeout_seconds: 5
                publishes_events: []
            environments:
              test:
                steps:
                  - name: square
                    timeout_seconds: 10
                    retry:
                      limit: 2
            """;

    /** The current generation: method dispatch, step types and the keys for what Tasker does not run. */
    static final String NEW_GENERATION = """
            name: order_checks
            namespace_name: orders
            version: 2.1.0
            description: Checks an order
            system_dependencies:
              primary: payments_api
              secondary: [inventory_db]
            domain_events:
              - name: order.checked
                description: An order passed its checks
            lifecycle:
              max_duration_minutes: 60
              staleness_action: dlq
            input_schema:
              type: object
              properties:
                tier: {type: string, enum: [standard, premium]}
            loaded_from: /srv/templates/order_checks.yaml
            steps:
              - name: validate
                type: standard
                handler:
                  callable: Orders::Checks
                  method: validate
                  resolver: explicit_mapping
                retry:
                  retryable: true
                  max_attempts: 0
                  backoff: linear
                result_schema:
                  type: object
                  properties:
                    valid: {type: boolean}
                publishes_events:
                  - name: order.checked
                    condition: success
              - name: price
                step_type: standard
                depends_on: [validate]
                handler:
                  callable: Orders::Checks
                  method: price!
                retry:
                  max_attempts: 5
                  backoff: fibonacci
                batch_config:
                  batch_size: 100
                  worker_template: price_worker
                composition:
                  steps: [lookup]
            """;

    @Test
    void loadsTheOldGenerationWithItsTaskHandlerAndRetryLimit() {
        Loaded loaded = load(OLD_GENERATION, "old.yaml", "development");
        TaskTemplate template = loaded.template();

        assertThat(template.key()).isEqualTo("linear_workflow/mathematical_sequence@1.0.0");
        assertThat(template.description()).isEqualTo("Sequential operations: square, then add");
        assertThat(template.steps()).extracting(StepTemplate::name).containsExactly("square", "add");
        StepTemplate square = template.step("square").orElseThrow();
        assertThat(square.handler().callable()).isEqualTo("LinearWorkflow::StepHandlers::SquareHandler");
        assertThat(square.handler().method()).isNull();
        assertThat(square.handler().effectiveMethod()).isEqualTo("call");
        assertThat(square.retry()).as("limit is ignored, as tasker-core ignores it").isEqualTo(RetryPolicy.DEFAULT);
        assertThat(square.timeoutSeconds()).isEqualTo(30);
        StepTemplate add = template.step("add").orElseThrow();
        assertThat(add.dependsOn()).containsExactly("square");
        assertThat(add.retry()).isEqualTo(new RetryPolicy(false, 3, 100, 1000));
        assertThat(add.timeoutSeconds()).isEqualTo(5);
        assertThat(template.inputSchema().at("/required/0").asText()).isEqualTo("even_number");
        assertThat(template.inputSchemaEnforced()).isFalse();
        assertThat(template.enforcedInputSchema()).isNull();
        assertThat(warnings(loaded)).containsExactly(
                "old.yaml:13: task_handler has no effect: Tasker runs the steps' handlers only",
                "old.yaml:22: input_schema is kept as documentation but not enforced, as in tasker-core: tasks are "
                        + "created whatever their context; write namespace: instead of namespace_name: to have "
                        + "Tasker check every context against it",
                "old.yaml:38: step 'square': retry.limit has no effect (tasker-core never read it either): use "
                        + "retry.max_attempts, the attempts in all, default 3 (and 2 more times in this file)");
    }

    @Test
    void loadsTheNewGenerationWarningOnceAboutEachKeyTaskerDoesNotRun() {
        Loaded loaded = load(NEW_GENERATION, "new.yaml", "development");
        TaskTemplate template = loaded.template();

        assertThat(template.key()).isEqualTo("orders/order_checks@2.1.0");
        StepTemplate validate = template.step("validate").orElseThrow();
        assertThat(validate.handler().method()).isEqualTo("validate");
        assertThat(validate.retry()).as("max_attempts 0 is one attempt in tasker-core")
                .isEqualTo(new RetryPolicy(true, 1, 1_000, 30_000));
        StepTemplate price = template.step("price").orElseThrow();
        assertThat(price.handler().method()).isEqualTo("price!");
        assertThat(price.dependsOn()).containsExactly("validate");
        assertThat(price.retry().maxAttempts()).isEqualTo(5);
        assertThat(warnings(loaded)).containsExactly(
                "new.yaml:5: system_dependencies has no effect: Tasker does not track the external systems a task uses",
                "new.yaml:8: domain_events has no effect: Tasker publishes no domain events",
                "new.yaml:11: lifecycle has no effect: Tasker has no per-template timeouts or staleness actions; "
                        + "its stale-task sweeper treats every task alike",
                "new.yaml:14: input_schema is kept as documentation but not enforced, as in tasker-core: tasks are "
                        + "created whatever their context; write namespace: instead of namespace_name: to have "
                        + "Tasker check every context against it",
                "new.yaml:25: step 'validate': handler.resolver has no effect: Tasker finds a step's handler by its "
                        + "callable alone",
                "new.yaml:29: step 'validate': retry.backoff 'linear' is not supported: Tasker's backoff is "
                        + "exponential, from backoff_base_ms doubling after each failed attempt up to max_backoff_ms, "
                        + "with jitter (and 1 more time in this file)",
                "new.yaml:30: step 'validate': result_schema is not checked: Tasker does not validate step results "
                        + "(nor did tasker-core: it is documentation)",
                "new.yaml:34: step 'validate': publishes_events has no effect: Tasker publishes no domain events",
                "new.yaml:46: step 'price': batch_config has no effect on a standard step: it configures a "
                        + "batch_worker step's instances, on that step or on its batchable step",
                "new.yaml:49: step 'price': composition is not supported: the step runs its handler.callable");
    }

    @Test
    void descriptiveKeysAndEmptyOnesAreTakenSilently() {
        Loaded loaded = load("""
                namespace: shop
                name: quiet
                version: 1.0.0
                metadata: {author: someone, notes: anything at all}
                system_dependencies: {primary: default, secondary: []}
                domain_events: []
                loaded_from: /tmp/quiet.yaml
                steps:
                  - name: only
                    description: The only step
                    system_dependency: default
                    publishes_events: []
                    handler: {callable: Shop::Only}
                """, "development");

        assertThat(loaded.warnings()).isEmpty();
        assertThat(loaded.template().inputSchemaEnforced()).isTrue();
    }

    @Test
    void symbolKeysReadAsPlainKeysThroughoutWithTheirLines() {
        String symbolKeyed = """
                ---
                :name: parallel_computation
                :namespace_name: diamond_workflow
                :version: 1.0.0
                :input_schema:
                :steps:
                  - :name: diamond_start
                    :handler:
                      :callable: DiamondWorkflow::StepHandlers::DiamondStartHandler
                      :initialization:
                        :operation: square
                        :limits:
                          :max: 100
                    :dependencies: []
                    :retry:
                      :retryable: true
                      :max_attempts: 4
                    :timeout_seconds:
                  - :name: diamond_end
                    :handler:
                      :callable: DiamondWorkflow::StepHandlers::DiamondEndHandler
                    :dependencies:
                      - diamond_start
                :environments:
                  test:
                    :steps:
                      - :name: diamond_end
                        :handler:
                          :initialization:
                            :timeout_ms: 10
                        :timeout_seconds:
                        :retry:
                :loaded_from: "/home/someone/diamond_workflow_handler.yaml"
                """;

        TaskTemplate template = load(symbolKeyed, "test").template();

        assertThat(template.key()).isEqualTo("diamond_workflow/parallel_computation@1.0.0");
        assertThat(template.inputSchema()).isNull();
        StepTemplate start = template.step("diamond_start").orElseThrow();
        assertThat(start.handler().initialization()).isEqualTo(Json.parse("{\"operation\": \"square\", \"limits\": {\"max\": 100}}"));
        assertThat(start.retry().maxAttempts()).isEqualTo(4);
        assertThat(start.timeoutSeconds()).isEqualTo(StepTemplate.DEFAULT_TIMEOUT_SECONDS);
        StepTemplate end = template.step("diamond_end").orElseThrow();
        assertThat(end.dependsOn()).containsExactly("diamond_start");
        assertThat(end.handler().initialization()).isEqualTo(Json.parse("{\"timeout_ms\": 10}"));
        assertThat(end.retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(problems(symbolKeyed.replace(":max_attempts: 4", ":max_attempts: many")
                .replace("      - diamond_start", "      - diamond_stat"), "symbols.yaml")).containsExactly(
                "symbols.yaml:17: step 'diamond_start': retry.max_attempts must be a whole number, got text \"many\"",
                "symbols.yaml:23: step 'diamond_end': depends on unknown step 'diamond_stat'; did you mean 'diamond_start'?");
    }

    @Test
    void theSelectedEnvironmentIsAppliedAsTaskerCoreAppliesIt() {
        String yaml = """
                name: overridden
                namespace_name: envs
                version: 1.0.0
                steps:
                  - name: fetch
                    handler:
                      callable: Envs::Fetch
                      initialization: {url: "https://example.com", options: {retries: 1, verbose: true}}
                    retry: {retryable: false, max_attempts: 5, backoff_base_ms: 200, max_backoff_ms: 800}
                    timeout_seconds: 60
                  - name: store
                    dependencies: [fetch]
                    handler: {callable: Envs::Store}
                    timeout_seconds: 45
                environments:
                  test:
                    steps:
                      - name: fetch
                        handler:
                          initialization: {options: {retries: 0}, stub: true}
                        retry: {max_attempts: 2}
                      - name: ALL
                        timeout_seconds: 5
                  production:
                    steps:
                      - name: store
                        timeout_seconds: 120
                """;

        TaskTemplate development = load(yaml, "development").template();
        TaskTemplate test = load(yaml, "test").template();
        TaskTemplate production = load(yaml, "production").template();

        assertThat(development).isEqualTo(load(yaml.substring(0, yaml.indexOf("environments:")), "test").template());
        StepTemplate fetch = test.step("fetch").orElseThrow();
        assertThat(fetch.handler().initialization()).as("merged key by key at the top level").isEqualTo(Json.parse(
                "{\"url\": \"https://example.com\", \"options\": {\"retries\": 0}, \"stub\": true}"));
        assertThat(fetch.retry()).as("the whole retry replaced, fields not given at their defaults")
                .isEqualTo(new RetryPolicy(true, 2, 1_000, 30_000));
        assertThat(fetch.timeoutSeconds()).isEqualTo(5);
        assertThat(test.step("store").orElseThrow().timeoutSeconds()).isEqualTo(5);
        assertThat(test.step("store").orElseThrow().retry()).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(production.step("fetch").orElseThrow()).isEqualTo(development.step("fetch").orElseThrow());
        assertThat(production.step("store").orElseThrow().timeoutSeconds()).isEqualTo(120);
        assertThat(test.contentHash()).isNotEqualTo(development.contentHash());
    }

    @Test
    void everyEnvironmentIsCheckedWhicheverIsSelected() {
        String yaml = """
                name: overridden
                namespace_name: envs
                version: 1.0.0
                steps:
                  - name: fetch
                    handler: {callable: Envs::Fetch}
                environments:
                  test:
                    steps:
                      - name: fecth
                        timeout_seconds: 5
                  production:
                    steps:
                      - name: fetch
                        timeout: 5
                        retry: {max_attempts: -1}
                      - just_a_name
                      - timeout_seconds: 0
                  staging: []
                """;

        assertThat(problems(yaml, "envs.yaml")).containsExactly(
                "envs.yaml:10: step 'fecth': no step 'fecth' to override; did you mean 'fetch'?",
                "envs.yaml:15: step 'fetch': unknown key 'timeout' in step override; did you mean 'timeout_seconds'?",
                "envs.yaml:16: step 'fetch': retry.max_attempts must be at least 1, got -1",
                "envs.yaml:17: a step override must be a mapping with the name of the step it changes, got text \"just_a_name\"",
                "envs.yaml:18: step '#3': a step override needs the name of the step it changes, or ALL",
                "envs.yaml:18: step '#3': timeout_seconds must be greater than 0, got 0",
                "envs.yaml:19: environments.staging must be a mapping, got a list");
    }

    @Test
    void theSameSettingUnderBothNamesIsAProblem() {
        assertThat(problems("""
                namespace: shop
                namespace_name: shop
                name: both
                version: 1.0.0
                steps:
                  - name: a
                    handler: {callable: A}
                  - name: b
                    handler: {callable: B}
                    depends_on: [a]
                    dependencies: [a]
                    type: standard
                    step_type: standard
                """, "both.yaml")).containsExactly(
                "both.yaml:2: namespace and namespace_name are both set; namespace_name is tasker-core's name for "
                        + "namespace: keep one",
                "both.yaml:11: step 'b': depends_on and dependencies are both set; dependencies is tasker-core's name "
                        + "for depends_on: keep one",
                "both.yaml:13: step 'b': type and step_type are both set; step_type is tasker-core's other name for "
                        + "type: keep one");
    }

    @Test
    void batchStepTypesAreReadInEitherSpelling() {
        assertThat(problems("""
                name: routing
                namespace_name: approvals
                version: 1.0.0
                steps:
                  - name: route
                    type: batchable
                    handler: {callable: Approvals::Route}
                  - name: workers
                    step_type: batch_worker
                    handler: {callable: Approvals::Worker}
                    dependencies: [route]
                  - name: odd
                    type: sometimes
                    handler: {callable: Approvals::Odd}
                """, "types.yaml")).containsExactly(
                "types.yaml:13: step 'odd': type 'sometimes' is not a step type; expected one of standard, decision, "
                        + "deferred_convergence, batchable, batch_worker");
    }

    @Test
    void unknownKeysAreStillProblemsListingTaskerCoreKeysOnlyToItsFormat() {
        assertThat(problems("""
                name: typos
                namespace_name: shop
                version: 1.0.0
                enviroments: {}
                steps:
                  - name: a
                    handler: {callable: A, resolvr: x}
                    retry: {limits: 3, colour: red}
                    colour: red
                """, "typos.yaml")).containsExactly(
                "typos.yaml:4: unknown key 'enviroments' in the template; did you mean 'environments'?",
                "typos.yaml:7: step 'a': unknown key 'resolvr' in handler; did you mean 'resolver'?",
                "typos.yaml:8: step 'a': unknown key 'limits' in retry; did you mean 'limit'?",
                "typos.yaml:8: step 'a': unknown key 'colour' in retry; expected one of retryable, max_attempts, "
                        + "backoff_base_ms, max_backoff_ms, limit, backoff",
                "typos.yaml:9: step 'a': unknown key 'colour' in step; expected one of name, type, handler, depends_on, "
                        + "retry, timeout_seconds, batch_config, description, dependencies, step_type, "
                        + "system_dependency, publishes_events, result_schema, composition");
        assertThat(problems("""
                namespace: shop
                name: typos
                version: 1.0.0
                steps:
                  - name: a
                    handler: {callable: A}
                    retry: {colour: red}
                """, "ours.yaml")).containsExactly(
                "ours.yaml:7: step 'a': unknown key 'colour' in retry; expected one of retryable, max_attempts, "
                        + "backoff_base_ms, max_backoff_ms");
    }

    @Test
    void retryValuesAreCheckedAsStrictlyAsBefore() {
        assertThat(problems("""
                namespace: shop
                name: retries
                version: 1.0.0
                steps:
                  - name: a
                    handler: {callable: A}
                    retry: {max_attempts: 0, backoff: sometimes}
                  - name: b
                    handler: {callable: B, method: "not a method"}
                """, "retries.yaml")).containsExactly(
                "retries.yaml:7: step 'a': retry.max_attempts must be at least 1, got 0",
                "retries.yaml:7: step 'a': retry.backoff 'sometimes' is not one of none, linear, exponential, fibonacci",
                "retries.yaml:9: step 'b': handler.method 'not a method' is not a method name: use letters, digits "
                        + "and _, start with a letter or _ (a Ruby method may end in ? or !)");
    }

    @Test
    void theMethodAndTheUnenforcedSchemaSurviveTheRegistryJson() {
        TaskTemplate template = load(NEW_GENERATION, "development").template();
        JsonNode json = Json.parse(template.toJson());

        assertThat(json.at("/steps/0/handler/method").asText()).isEqualTo("validate");
        assertThat(json.get("input_schema_enforced").booleanValue()).isFalse();
        TaskTemplate back = TaskTemplate.fromJson(template.toJson());
        assertThat(back).isEqualTo(template);
        assertThat(back.contentHash()).isEqualTo(template.contentHash());

        TaskTemplate callsCall = load(NEW_GENERATION.replace("      method: validate\n", ""), "development").template();
        assertThat(callsCall.contentHash()).isNotEqualTo(template.contentHash());
        TaskTemplate ours = TemplateLoaderTest.loaded("good/linear_workflow.yaml");
        assertThat(Json.parse(ours.toJson()).has("input_schema_enforced")).isFalse();
        assertThat(Json.parse(ours.toJson()).at("/steps/0/handler").has("method")).isFalse();
    }

    @Test
    void theEnvironmentComesFromTaskerEnvElseDevelopment() {
        assertThat(TemplateLoader.environment(Map.of())).isEqualTo("development");
        assertThat(TemplateLoader.environment(Map.of("TASKER_ENV", " "))).isEqualTo("development");
        assertThat(TemplateLoader.environment(Map.of("TASKER_ENV", "test"))).isEqualTo("test");
    }

    @Test
    void handlerSpecsBuiltInCodeKeepTheirOldConstructors() {
        assertThat(new HandlerSpec("H").method()).isNull();
        assertThat(new HandlerSpec("H", null).effectiveMethod()).isEqualTo("call");
        assertThat(new HandlerSpec("H", null, "run?").effectiveMethod()).isEqualTo("run?");
        assertThatThrownBy(() -> new HandlerSpec("H", null, "1st")).hasMessageContaining("handler.method '1st'");
        assertThat(new Loaded("x", TemplateLoaderTest.loaded("good/linear_workflow.yaml")).warnings()).isEmpty();
    }

    private static Loaded load(String yaml, String environment) {
        return load(yaml, "template.yaml", environment);
    }

    private static Loaded load(String yaml, String source, String environment) {
        TemplateLoadResult result = TemplateLoader.parse(yaml, source, environment);
        assertThat(result).as(() -> result instanceof Rejected rejected
                ? rejected.problems().stream().map(TemplateProblem::format).toList().toString() : "")
                .isInstanceOf(Loaded.class);
        return (Loaded) result;
    }

    private static List<String> warnings(Loaded loaded) {
        return loaded.warnings().stream().map(TemplateProblem::format).toList();
    }

    private static List<String> problems(String yaml, String source) {
        TemplateLoadResult result = TemplateLoader.parse(yaml, source, "development");
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).problems().stream().map(TemplateProblem::format).toList();
    }
}
