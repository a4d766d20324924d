package io.tasker.core.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tasker.core.JsonLimits;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The one JSON mapper. Numbers are read exactly (big integers stay {@code BigInteger}, decimals
 * stay {@code BigDecimal}) because task contexts and step results carry business values. It reads
 * everything {@link JsonLimits} lets in, as PostgreSQL prints it back: numbers of up to every
 * digit a {@code numeric} holds, strings as long as a document, a task's view nesting its steps'
 * results (Jackson's own defaults would refuse a 1,001-digit number or a 21-million-character
 * string that was accepted and stored).
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNumberLength(JsonLimits.MAX_NUMBER_TEXT)
                            .maxStringLength(JsonLimits.MAX_DOCUMENT_BYTES)
                            .maxNestingDepth(JsonLimits.MAX_DEPTH + 16)
                            .build())
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .findAndAddModules()
            .build();

    private Json() {}

    public static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * SHA-256 (lowercase hex) of the canonical form of {@code node}: keys sorted at every level and
     * every number as an exact decimal without trailing zeros, so key order, formatting and
     * {@code 1} versus {@code 1.0} do not change the hash. Template content hashes and task
     * identities both rest on it.
     */
    public static String canonicalSha256(JsonNode node) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        try (JsonGenerator out = MAPPER.createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), digest))) {
            writeCanonical(out, node);
        } catch (IOException e) {
            throw new UncheckedIOException("hashing into memory cannot fail", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    // Numbers in scientific notation when shorter, so 1e1000000 stays short.
    private static void writeCanonical(JsonGenerator out, JsonNode node) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>(node.size());
                node.fieldNames().forEachRemaining(names::add);
                names.sort(null);
                out.writeStartObject();
                for (String name : names) {
                    out.writeFieldName(name);
                    writeCanonical(out, node.get(name));
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (JsonNode item : node) {
                    writeCanonical(out, item);
                }
                out.writeEndArray();
            }
            case NUMBER -> out.writeNumber(node.decimalValue().stripTrailingZeros());
            default -> out.writeTree(node);
        }
    }
}
