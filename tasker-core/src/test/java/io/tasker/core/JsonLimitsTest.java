package io.tasker.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.internal.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLimitsTest {

    @Test
    void whatPostgresqlStoresPasses() {
        ObjectNode ok = Json.MAPPER.createObjectNode()
                .put("big", BigInteger.TEN.pow(JsonLimits.MAX_INTEGER_DIGITS - 1))
                .put("fine", new BigDecimal(BigInteger.ONE, JsonLimits.MAX_FRACTION_DIGITS))
                .put("text", "é ☃ \uD83D\uDE00");
        assertThat(JsonLimits.problems(ok, "$")).isEmpty();
    }

    @Test
    void eachUnstorableValueIsNamedByItsPath() {
        JsonNode bad = Json.parse("""
                {"a": {"b": ["x", "y\\u0000"]}, "k\\u0000": 1, "n": 1e200000, "f": 1e-20000}""");
        assertThat(JsonLimits.problems(bad, "$")).extracting(JsonLimits.Problem::path)
                .containsExactly("$.a.b[1]", "$.k\u0000", "$.n", "$.f");
    }

    @Test
    void halfASurrogatePairIsRefusedAsPostgresqlWouldStoreAQuestionMark() {
        ObjectNode bad = (ObjectNode) Json.parse("""
                {"high": "\\ud800", "low": "x\\udc00", "reversed": "\\udc00\\ud800", "pair": "\\ud83d\\ude00"}""");
        // The parser refuses one in a key; a handler's result is built in code and may hold one.
        bad.put("k\udfff", 1);
        assertThat(JsonLimits.problems(bad, "$")).extracting(JsonLimits.Problem::toString).containsExactly(
                "$.high: a string with an unpaired surrogate U+D800, which is not a character and cannot be stored",
                "$.low: a string with an unpaired surrogate U+DC00, which is not a character and cannot be stored",
                "$.reversed: a string with an unpaired surrogate U+DC00, which is not a character and cannot be stored",
                "$.k\udfff: a key with an unpaired surrogate U+DFFF, which is not a character and cannot be stored");
    }

    @Test
    void tooLargeOrTooDeepDocumentsAreRefused() {
        ObjectNode large = Json.MAPPER.createObjectNode().put("s", "x".repeat(JsonLimits.MAX_DOCUMENT_BYTES));
        assertThat(JsonLimits.problems(large, "$")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at most 16 MiB"));

        JsonNode deep = Json.parse("[".repeat(JsonLimits.MAX_DEPTH + 1) + "]".repeat(JsonLimits.MAX_DEPTH + 1));
        assertThat(JsonLimits.problems(deep, "$")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("nested more than 500 levels"));
    }

    @Test
    void theReaderReadsEveryNumberAndStringTheLimitsLetIn() {
        String digits = "9".repeat(JsonLimits.MAX_INTEGER_DIGITS) + "." + "1".repeat(JsonLimits.MAX_FRACTION_DIGITS);
        assertThat(Json.parse("{\"n\": " + digits + "}").get("n").decimalValue().toPlainString()).isEqualTo(digits);
        String text = "x".repeat(JsonLimits.MAX_DOCUMENT_BYTES - 20);
        assertThat(Json.parse("{\"s\": \"" + text + "\"}").get("s").textValue()).hasSize(text.length());
    }
}
