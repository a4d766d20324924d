package io.tasker.core;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What JSON Tasker accepts (task contexts, request bodies, step results), checked where the data
 * comes in, so that everything accepted can be stored and read back. The limits are PostgreSQL's
 * own where it has one: {@code jsonb} stores numbers as {@code numeric} (at most 131,072 digits
 * before the decimal point and 16,383 after) and text as UTF-8, which cannot hold the character
 * U+0000 or half of a surrogate pair. A document is at most {@value #MAX_DOCUMENT_BYTES} bytes of
 * JSON and {@value #MAX_DEPTH} levels deep; the reader ({@link io.tasker.core.internal.Json})
 * reads anything within these limits.
 */
public final class JsonLimits {
    /** 16 MiB: a context or a result; a task's view holds several and may be larger. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
    public static final int MAX_DEPTH = 500;
    public static final int MAX_INTEGER_DIGITS = 131_072;
    public static final int MAX_FRACTION_DIGITS = 16_383;
    /** The longest number text the reader must accept: every digit PostgreSQL may print, a sign, a point. */
    public static final int MAX_NUMBER_TEXT = MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 2;

    private static final int MAX_REPORTED = 20;

    private JsonLimits() {}

    /** One value that cannot be stored, at its JSON path ({@code $} is the document). */
    public record Problem(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    /**
     * Every reason {@code document} (found at {@code path}) cannot be stored, up to twenty; empty
     * when it can. One walk over the tree, cheap next to writing it.
     */
    public static List<Problem> problems(JsonNode document, String path) {
        List<Problem> problems = new ArrayList<>();
        long size = walk(document, path, 1, problems);
        if (size > MAX_DOCUMENT_BYTES) {
            problems.add(new Problem(path, "about " + size / (1024 * 1024) + " MiB of JSON; at most "
                    + MAX_DOCUMENT_BYTES / (1024 * 1024) + " MiB is stored"));
        }
        return problems.size() > MAX_REPORTED ? List.copyOf(problems.subList(0, MAX_REPORTED)) : problems;
    }

    /** Walks the tree, collecting problems; returns roughly how many bytes its JSON takes. */
    private static long walk(JsonNode node, String path, int depth, List<Problem> problems) {
        if (problems.size() > MAX_REPORTED) {
            return 0;
        }
        if (depth > MAX_DEPTH) {
            problems.add(new Problem(path, "nested more than " + MAX_DEPTH + " levels deep"));
            return 0;
        }
        if (node == null) {
            return 4;
        }
        if (node.isObject()) {
            long size = 2;
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String key = field.getKey();
                String at = path + "." + key;
                String unstorable = unstorable(key);
                if (unstorable != null) {
                    problems.add(new Problem(at, "a key with " + unstorable));
                }
                size += key.length() + 4 + walk(field.getValue(), at, depth + 1, problems);
            }
            return size;
        }
        if (node.isArray()) {
            long size = 2;
            for (int i = 0; i < node.size(); i++) {
                size += 1 + walk(node.get(i), path + "[" + i + "]", depth + 1, problems);
            }
            return size;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            String unstorable = unstorable(text);
            if (unstorable != null) {
                problems.add(new Problem(path, "a string with " + unstorable));
            }
            return text.length() + 2L;
        }
        if (node.isNumber()) {
            return number(node, path, problems);
        }
        return 5;
    }

    /**
     * Why PostgreSQL cannot store {@code text} as it is, or null: U+0000, or half of a surrogate
     * pair (a JSON escape can make one), which is no character and has no UTF-8 form: the driver
     * would store a '?' in its place.
     */
    private static String unstorable(String text) {
        if (text.indexOf('\u0000') >= 0) {
            return "the character U+0000, which PostgreSQL cannot store";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("an unpaired surrogate U+%04X, which is not a character and cannot be stored",
                        (int) c);
            }
        }
        return null;
    }

    private static long number(JsonNode node, String path, List<Problem> problems) {
        if (node.isIntegralNumber() && !node.isBigInteger()) {
            return 20;
        }
        if (node.isFloat() || node.isDouble()) {
            double value = node.doubleValue();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                problems.add(new Problem(path, "not a finite number"));
            }
            return 25;
        }
        BigDecimal value = node.decimalValue();
        long integerDigits = (long) value.precision() - value.scale();
        if (integerDigits > MAX_INTEGER_DIGITS) {
            problems.add(new Problem(path, "a number with " + integerDigits + " digits before the decimal point; "
                    + "at most " + MAX_INTEGER_DIGITS + " are stored"));
            return 0;
        }
        if (value.scale() > MAX_FRACTION_DIGITS) {
            problems.add(new Problem(path, "a number with " + value.scale() + " digits after the decimal point; "
                    + "at most " + MAX_FRACTION_DIGITS + " are stored"));
            return 0;
        }
        return Math.max(0, integerDigits) + Math.max(0, value.scale()) + 2;
    }
}
