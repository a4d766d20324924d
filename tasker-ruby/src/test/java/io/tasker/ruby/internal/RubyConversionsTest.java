package io.tasker.ruby.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.RetryPolicy;
import io.tasker.ruby.RubyRuntime;
import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.TaskSequenceStep;
import io.tasker.worker.WorkerSystemStatus;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RubyConversionsTest {
    private static final String EVENT_ID = "0190a4c2-0000-7000-8000-000000000001";
    private static final String TASK = "0190a4c2-0000-7000-8000-000000000002";
    private static final String STEP = "0190a4c2-0000-7000-8000-000000000003";

    private final ThreadContext context = RubyRuntime.get().getCurrentContext();

    /** Evaluates Ruby with {@code value} bound to the converted JSON, returning the Ruby result. */
    private IRubyObject withValue(JsonNode json, String script) {
        IRubyObject value = RubyConversions.toRuby(context, json);
        IRubyObject proc = RubyRuntime.eval("lambda { |value| " + script + " }");
        return proc.callMethod(context, "call", value);
    }

    private String ruby(JsonNode json, String script) {
        return withValue(json, script).asJavaString();
    }

    private JsonNode toJson(String rubyExpression) {
        return RubyConversions.toJson(context, RubyRuntime.eval(rubyExpression), "result");
    }

    @Test
    void jsonBecomesRubyWithStringKeysAndExactNumbers() {
        JsonNode json = Json.parse("""
                {"name": "Zoë", "count": 42, "long": 9223372036854775807,
                 "big": 1267650600228229401496703205376, "negative_big": -1267650600228229401496703205376,
                 "price": 19.99, "exact": 12345678901234567890.123456789,
                 "flags": [true, false, null], "nested": {"a": {"b": [1, {"c": "d"}]}}}
                """);

        assertThat(ruby(json, "value.keys.map(&:class).uniq.inspect")).isEqualTo("[String]");
        assertThat(ruby(json, "value['name'] + ' ' + value['name'].encoding.to_s")).isEqualTo("Zoë UTF-8");
        assertThat(ruby(json, "value['count'].class.name")).isEqualTo("Integer");
        assertThat(ruby(json, "(value['big'] == 2**100).to_s")).isEqualTo("true");
        assertThat(ruby(json, "(value['negative_big'] == -(2**100)).to_s")).isEqualTo("true");
        assertThat(ruby(json, "(value['long'] == 2**63 - 1).to_s")).isEqualTo("true");
        assertThat(ruby(json, "value['price'].class.name + ' ' + value['price'].to_s('F')")).isEqualTo("BigDecimal 19.99");
        assertThat(ruby(json, "value['exact'].to_s('F')")).isEqualTo("12345678901234567890.123456789");
        assertThat(ruby(json, "value['flags'].inspect")).isEqualTo("[true, false, nil]");
        assertThat(ruby(json, "value.dig('nested', 'a', 'b', 1, 'c')")).isEqualTo("d");
    }

    @Test
    void jsonRoundTripsThroughRubyExactly() {
        JsonNode json = Json.parse("""
                {"s": "text ✓", "i": -7, "l": 9223372036854775807, "big": 1267650600228229401496703205376,
                 "d": 0.1, "exact": 12345678901234567890.123456789, "zeros": 1.10, "e": 1E+3, "t": true, "f": false, "n": null,
                 "a": [1, [2, [3]], {}], "o": {"": "empty key", "a.b": 1}}
                """);

        JsonNode back = RubyConversions.toJson(context, RubyConversions.toRuby(context, json), "result");

        assertThat(Json.write(back)).isEqualTo(Json.write(json));
    }

    @Test
    void rubyFloatsAndIntegersBecomeJsonNumbers() {
        JsonNode json = toJson("{ 'f' => 1.5, 'i' => 3, 'big' => 2**100, 'neg' => -(2**70), 'd' => BigDecimal('0.1') }");

        assertThat(json.get("f").isDouble()).isTrue();
        assertThat(json.get("f").doubleValue()).isEqualTo(1.5);
        assertThat(json.get("i").longValue()).isEqualTo(3);
        assertThat(json.get("big").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(100));
        assertThat(json.get("neg").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(70).negate());
        assertThat(json.get("d").decimalValue().toPlainString()).isEqualTo("0.1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            { status: 'ok', 'status' => 'done' }           | result: keys :status and "status" name the same field; keep one
            { 1 => 'one' }                                 | result: key 1 is a Integer; JSON object keys must be Strings (or Symbols)
            { 'items' => [1, 2, { 'x' => Float::NAN }] }   | result.items[2].x: Float NaN is not a JSON number
            { 'x' => -Float::INFINITY }                    | result.x: Float -Infinity is not a JSON number
            { 'x' => BigDecimal('NaN') }                   | result.x: BigDecimal NaN is not a JSON number
            { 'odd key' => Object.new }                    | result["odd key"]: a Object is not a JSON value
            { 'at' => Time.at(0) }                         | result.at: a Time is not a JSON value; convert it to a String (for example with iso8601)
            { 'r' => 1/3r }                                | result.r: a Rational is not a JSON value; convert it to a BigDecimal, Float or Integer
            { 'bytes' => "\\xFF\\xFE".b }                  | result.bytes: binary String (ASCII-8BIT) is not text; force_encoding('UTF-8') or Base64-encode it
            { 'broken' => "\\xFF".dup.force_encoding('UTF-8') } | result.broken: String is not valid UTF-8 text
            """)
    void refusesWhatJsonCannotCarryNamingThePath(String expression, String message) {
        assertThatThrownBy(() -> toJson(expression))
                .isInstanceOf(NotJsonException.class)
                .hasMessage(message);
    }

    @Test
    void symbolsBecomeStringsAsJsonGeneratorsWriteThem() {
        JsonNode json = toJson("{ status: :done, 'items' => [{ id: 1, state: :shipped }], nested: { 'a' => :b } }");

        assertThat(Json.write(json)).isEqualTo(
                "{\"status\":\"done\",\"items\":[{\"id\":1,\"state\":\"shipped\"}],\"nested\":{\"a\":\"b\"}}");
    }

    @Test
    void userDataHashesAnswerSymbolsToo() {
        JsonNode json = Json.parse("{\"order\": {\"id\": 7, \"items\": [{\"sku\": \"A\"}]}}");

        assertThat(ruby(json, "value.class.name")).isEqualTo("TaskerCore::IndifferentHash");
        assertThat(ruby(json, "value[:order][:id].to_s + value.dig(:order, :items, 0, :sku)")).isEqualTo("7A");
        assertThat(ruby(json, "value.keys.inspect")).isEqualTo("[\"order\"]");
    }

    @Test
    void refusesNestingDeeperThanTheLimitAndCycles() {
        assertThat(toJson("v = 'leaf'; 63.times { v = [v] }; v")).isNotNull();
        assertThatThrownBy(() -> toJson("v = 'leaf'; 65.times { v = [v] }; v"))
                .isInstanceOf(NotJsonException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        assertThatThrownBy(() -> toJson("h = {}; h['self'] = h; h"))
                .hasMessageStartingWith("result.self.self.self")
                .hasMessageEndingWith("nested deeper than 64 levels (is the structure cyclic?)");
    }

    @Test
    void executionEventsBecomeSymbolKeyedHashesWithStringKeyedUserData() {
        ObjectNode initialization = (ObjectNode) Json.parse("{\"threshold\": 10}");
        TaskSequenceStep step = new TaskSequenceStep(UUID.fromString(TASK), UUID.fromString(STEP), "billing",
                "charge_order", "1.2.0", Json.parse("{\"order\": {\"id\": 7}}"),
                new TaskSequenceStep.StepDefinition("charge", "Billing::Charge", initialization, List.of("validate"),
                        new RetryPolicy(true, 3, 100, 1000), 30),
                Map.of("validate", Json.parse("{\"ok\": true}")), 2, 3);
        StepExecutionEvent event = new StepExecutionEvent(UUID.fromString(EVENT_ID), step.taskUuid(), step.stepUuid(), step);

        IRubyObject hash = RubyConversions.toRuby(context, event);
        IRubyObject probe = RubyRuntime.eval("""
                lambda do |e|
                  s = e[:task_sequence_step]
                  d = s[:step_definition]
                  [e.keys.inspect, e[:event_id], s[:namespace], s[:task_name], s[:task_version],
                   s[:task_context].dig('order', 'id').to_s, d[:name], d[:callable], d[:initialization].inspect,
                   d[:depends_on].inspect, d[:retry][:max_attempts].to_s, d[:timeout_seconds].to_s,
                   s[:dependency_results].inspect, s[:attempt].to_s, s[:max_attempts].to_s].join('|')
                end
                """);

        assertThat(probe.callMethod(context, "call", hash).asJavaString()).isEqualTo(String.join("|",
                "[:event_id, :task_uuid, :step_uuid, :task_sequence_step]", EVENT_ID, "billing", "charge_order",
                "1.2.0", "7", "charge", "Billing::Charge", "{\"threshold\" => 10}", "[\"validate\"]", "3", "30",
                "{\"validate\" => {\"ok\" => true}}", "2", "3"));
    }

    @Test
    void theTemplatesHandlerMethodIsPassedOnlyWhenGiven() {
        IRubyObject probe = RubyRuntime.eval("lambda { |e| d = e[:task_sequence_step][:step_definition]; "
                + "[d.key?(:method), d[:method]].inspect }");

        assertThat(probe.callMethod(context, "call", RubyConversions.toRuby(context, eventWithMethod("refund")))
                .asJavaString()).isEqualTo("[true, \"refund\"]");
        assertThat(probe.callMethod(context, "call", RubyConversions.toRuby(context, eventWithMethod(null)))
                .asJavaString()).isEqualTo("[false, nil]");
    }

    private static StepExecutionEvent eventWithMethod(String method) {
        TaskSequenceStep step = new TaskSequenceStep(UUID.fromString(TASK), UUID.fromString(STEP), "billing",
                "charge_order", "1.2.0", Json.parse("{}"),
                new TaskSequenceStep.StepDefinition("charge", "Billing::Charge", null, List.of(), RetryPolicy.DEFAULT,
                        30, method),
                Map.of(), 1, 3);
        return new StepExecutionEvent(UUID.fromString(EVENT_ID), step.taskUuid(), step.stepUuid(), step);
    }

    @Test
    void statusHasTheNotesSymbolKeys() {
        IRubyObject hash = RubyConversions.toRuby(context,
                new WorkerSystemStatus(true, "test", "running", false, List.of("a", "b"), 10, 4));

        assertThat(RubyRuntime.eval("lambda { |s| s.inspect }").callMethod(context, "call", hash).asJavaString())
                .isEqualTo("{running: true, environment: \"test\", worker_core_status: \"running\", "
                        + "web_api_enabled: false, supported_namespaces: [\"a\", \"b\"], database_pool_size: 10, "
                        + "database_pool_idle: 4}");
    }

    private StepExecutionCompletionEvent completion(String rubyHashBody) {
        return RubyConversions.toCompletion(context, RubyRuntime.eval(
                "{ event_id: '" + EVENT_ID + "', task_uuid: '" + TASK + "', step_uuid: '" + STEP + "', " + rubyHashBody + " }"));
    }

    @Test
    void successfulCompletionCarriesItsResultAndMetadata() {
        StepExecutionCompletionEvent c = completion(
                "success: true, result: { 'total' => 2**80 }, metadata: { 'handler' => 'X' }, "
                        + "completed_at: '2025-01-02T03:04:05.123456Z'");

        assertThat(c.eventId()).isEqualTo(UUID.fromString(EVENT_ID));
        assertThat(c.taskUuid()).isEqualTo(UUID.fromString(TASK));
        assertThat(c.stepUuid()).isEqualTo(UUID.fromString(STEP));
        assertThat(c.success()).isTrue();
        assertThat(c.result().get("total").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(80));
        assertThat(c.metadata().get("handler").asText()).isEqualTo("X");
        assertThat(c.completedAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05.123456Z"));
    }

    @Test
    void failedCompletionCarriesTheErrorFields() {
        StepExecutionCompletionEvent c = completion("success: false, error_message: 'card declined', "
                + "error_type: 'PaymentError', retryable: true, retry_after: 2.5, "
                + "error_details: { 'exception_class' => 'PaymentError', 'backtrace' => ['a.rb:1'] }");

        assertThat(c.success()).isFalse();
        assertThat(c.errorMessage()).isEqualTo("card declined");
        assertThat(c.errorType()).isEqualTo("PaymentError");
        assertThat(c.retryable()).isTrue();
        assertThat(c.retryAfter()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.errorDetails().get("backtrace").get(0).asText()).isEqualTo("a.rb:1");
        assertThat(c.completedAt()).isNotNull();
    }

    @Test
    void aResultThatIsNotJsonFailsTheStepPermanentlyNamingThePath() {
        StepExecutionCompletionEvent c = completion("success: true, result: { 'items' => [{ 'state' => 0.0 / 0 }] }");

        assertThat(c.success()).isFalse();
        assertThat(c.retryable()).isFalse();
        assertThat(c.errorType()).isEqualTo(RubyConversions.INVALID_RESULT);
        assertThat(c.errorMessage()).isEqualTo("the handler's completion is not JSON: "
                + "result.items[0].state: Float NaN is not a JSON number");
        assertThat(c.errorDetails().get("path").asText()).isEqualTo("result.items[0].state");
    }

    @Test
    void aFailureWithBadDetailsKeepsItsOwnMessage() {
        StepExecutionCompletionEvent c = completion("success: false, error_message: 'boom', retryable: true, "
                + "error_details: { 'obj' => Object.new }");

        assertThat(c.errorMessage()).isEqualTo("boom (and the handler's completion is not JSON: "
                + "error_details.obj: a Object is not a JSON value)");
        assertThat(c.retryable()).isFalse();
    }

    @Test
    void aCheckpointCompletionCarriesItsCursorCountAndPartialResults() {
        StepExecutionCompletionEvent c = completion("success: false, checkpoint: { cursor: { 'page' => 'p7' }, "
                + "items_processed: 700, accumulated_results: { 'sum' => 2**70 } }");

        assertThat(c.isCheckpoint()).isTrue();
        assertThat(c.checkpoint().cursor().toString()).isEqualTo("{\"page\":\"p7\"}");
        assertThat(c.checkpoint().itemsProcessed()).isEqualTo(700);
        assertThat(c.checkpoint().accumulatedResults().get("sum").bigIntegerValue())
                .isEqualTo(BigInteger.TWO.pow(70));
        assertThat(completion("success: false, checkpoint: { cursor: 5, items_processed: 5 }").checkpoint()
                .accumulatedResults()).isNull();
    }

    @Test
    void aCheckpointThatIsNotRightIsRefusedOrFailsItsStep() {
        assertThatThrownBy(() -> completion("success: false, checkpoint: { items_processed: 5 }"))
                .isInstanceOf(InvalidCompletionException.class)
                .hasMessage("completion field :checkpoint must be a Hash with :cursor, :items_processed and "
                        + "optionally :accumulated_results, got {items_processed: 5}");
        assertThatThrownBy(() -> completion("success: false, checkpoint: { cursor: 5, items_processed: -1 }"))
                .hasMessage("checkpoint :items_processed must be an Integer, 0 or more, got -1");
        StepExecutionCompletionEvent bad = completion("success: false, checkpoint: { cursor: Object.new, "
                + "items_processed: 1 }");
        assertThat(bad.isCheckpoint()).isFalse();
        assertThat(bad.errorMessage()).isEqualTo("the handler's completion is not JSON: "
                + "checkpoint.cursor: a Object is not a JSON value");
    }

    @Test
    void aStepsInputsAndCheckpointReachRuby() {
        TaskSequenceStep step = new TaskSequenceStep(UUID.fromString(TASK), UUID.fromString(STEP), "billing",
                "charge_order", "1.2.0", Json.parse("{}"),
                new TaskSequenceStep.StepDefinition("charge_001", "Billing::Charge", null, List.of(),
                        RetryPolicy.DEFAULT, 30),
                Map.of(), 1, 3, Json.parse("{\"cursor\": {\"batch_id\": \"001\"}}"),
                Json.parse("{\"cursor\": 40, \"items_processed\": 40}"));
        IRubyObject hash = RubyConversions.toRuby(context,
                new StepExecutionEvent(UUID.fromString(EVENT_ID), step.taskUuid(), step.stepUuid(), step));

        assertThat(RubyRuntime.eval("lambda { |e| s = e[:task_sequence_step]; [s[:inputs], s[:checkpoint]].inspect }")
                .callMethod(context, "call", hash).asJavaString())
                .isEqualTo("[{\"cursor\" => {\"batch_id\" => \"001\"}}, {\"cursor\" => 40, \"items_processed\" => 40}]");
    }

    @Test
    void envelopeProblemsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> RubyConversions.toCompletion(context, RubyRuntime.eval("{ success: true }")))
                .isInstanceOf(InvalidCompletionException.class)
                .hasMessage("Missing required fields in completion: event_id, task_uuid, step_uuid");
        assertThatThrownBy(() -> RubyConversions.toCompletion(context, RubyRuntime.eval("[]")))
                .hasMessage("completion must be a Hash, got a Array");
        assertThatThrownBy(() -> completion("success: true, sucess: true"))
                .hasMessageStartingWith("unknown completion field :sucess (known: :event_id,");
        assertThatThrownBy(() -> completion("success: 'yes'"))
                .hasMessage("completion field :success must be true or false, got \"yes\"");
        assertThatThrownBy(() -> completion("success: false, retry_after: -1"))
                .hasMessage("completion field :retry_after must be a number of seconds (0 or more), got -1");
        assertThatThrownBy(() -> completion("success: true, completed_at: 'yesterday'"))
                .hasMessageStartingWith("completion field :completed_at must be an ISO-8601 time String");
        assertThatThrownBy(() -> RubyConversions.toCompletion(context, RubyRuntime.eval(
                "{ event_id: 'nope', task_uuid: '" + TASK + "', step_uuid: '" + STEP + "', success: true }")))
                .hasMessage("completion field :event_id must be a UUID String, got \"nope\"");
    }
}
