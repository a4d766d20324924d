package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.JsonLimits;
import io.tasker.core.internal.Json;
import io.tasker.orchestration.TaskRequest;
import io.tasker.server.api.ApiError.FieldProblem;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the body of {@code POST /v1/tasks} into a {@link TaskRequest}, reporting every problem at
 * once (a missing name, a number where a string belongs, a misspelt key) so that a client fixes
 * its request in one round. Unknown keys are refused rather than ignored: a misspelt
 * {@code idempotency_key} silently dropped would create duplicate tasks.
 */
final class TaskRequestBody {
    static final Set<String> FIELDS = Set.of("namespace", "name", "version", "context", "initiator",
            "source_system", "reason", "tags", "priority", "idempotency_key", "correlation_id");

    private static final String EXAMPLE =
            "{\"namespace\": \"examples\", \"name\": \"linear_workflow\", \"context\": {\"even_number\": 6}}";

    private final JsonNode body;
    private final List<FieldProblem> problems = new ArrayList<>();

    private TaskRequestBody(JsonNode body) {
        this.body = body;
    }

    /** Reads a body as sent (see {@link JsonBody#object}). */
    static TaskRequest parse(byte[] bytes) {
        return new TaskRequestBody(JsonBody.object(bytes, EXAMPLE, false)).read();
    }

    private TaskRequest read() {
        for (Iterator<String> keys = body.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!FIELDS.contains(key)) {
                problems.add(new FieldProblem(key, "unknown field; the fields are " + String.join(", ",
                        FIELDS.stream().sorted().toList())));
            }
        }
        String namespace = requiredText("namespace");
        String name = requiredText("name");
        String version = text("version");
        JsonNode context = context();
        String initiator = text("initiator");
        String sourceSystem = text("source_system");
        String reason = text("reason");
        List<String> tags = tags();
        Integer priority = priority();
        String idempotencyKey = text("idempotency_key");
        UUID correlationId = correlationId();
        // What the database could not store (a NUL character, a number beyond numeric's range) is
        // the client's to fix, not the server's trouble.
        for (JsonLimits.Problem problem : JsonLimits.problems(body, "$")) {
            problems.add(new FieldProblem(problem.path().equals("$") ? "(the body)" : problem.path().substring(2),
                    problem.message()));
        }
        if (!problems.isEmpty()) {
            String summary = problems.size() == 1
                    ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : problems.size() + " problems with the request; see details";
            throw ApiError.badRequest("invalid task request: " + summary, problems);
        }
        return new TaskRequest(namespace, name, version, context, initiator, sourceSystem, reason, tags, priority,
                idempotencyKey, correlationId);
    }

    private JsonNode present(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private String text(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new FieldProblem(field, "must be a string, got " + describe(value)));
            return null;
        }
        return value.asText();
    }

    private String requiredText(String field) {
        if (present(field) == null) {
            problems.add(new FieldProblem(field, "is required"));
            return null;
        }
        String value = text(field);
        if (value != null && value.isBlank()) {
            problems.add(new FieldProblem(field, "must not be blank"));
        }
        return value;
    }

    /** The task context; a template without an input schema may need none, so it defaults to {}. */
    private JsonNode context() {
        JsonNode value = present("context");
        if (value == null) {
            return Json.MAPPER.createObjectNode();
        }
        if (!value.isObject()) {
            problems.add(new FieldProblem("context", "must be a JSON object, got " + describe(value)));
        }
        return value;
    }

    private List<String> tags() {
        JsonNode value = present("tags");
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problems.add(new FieldProblem("tags", "must be an array of strings, got " + describe(value)));
            return List.of();
        }
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i).isTextual()) {
                tags.add(value.get(i).asText());
            } else {
                problems.add(new FieldProblem("tags[" + i + "]", "must be a string, got " + describe(value.get(i))));
            }
        }
        return tags;
    }

    private Integer priority() {
        JsonNode value = present("priority");
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            problems.add(new FieldProblem("priority", "must be an integer between " + Integer.MIN_VALUE + " and "
                    + Integer.MAX_VALUE + ", got " + describe(value)));
            return null;
        }
        return value.intValue();
    }

    private UUID correlationId() {
        String value = text("correlation_id");
        if (value == null) {
            return null;
        }
        try {
            return UuidText.parse(value, "correlation_id");
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("correlation_id", e.getMessage()));
            return null;
        }
    }

    /** A value as an error message should show it: its JSON type and, when short, the value. */
    static String describe(JsonNode value) {
        String type = switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        String text = value.toString();
        return text.length() <= 40 ? type + " (" + text + ")" : type;
    }
}
