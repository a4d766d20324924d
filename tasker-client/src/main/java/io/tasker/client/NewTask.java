package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A task to create ({@code POST /v1/tasks}): a template, the newest version unless one is given,
 * and the context its steps read. Build one with {@link #builder}.
 */
public record NewTask(String namespace, String name, String version, JsonNode context, String initiator,
                      String sourceSystem, String reason, List<String> tags, Integer priority, String idempotencyKey,
                      UUID correlationId) {
    public NewTask {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        if (context == null || !context.isObject()) {
            throw new IllegalArgumentException("a task's context must be a JSON object, got " + context);
        }
        tags = tags == null ? null : List.copyOf(tags);
    }

    public static Builder builder(String namespace, String name) {
        return new Builder(namespace, name);
    }

    ObjectNode toJson() {
        ObjectNode json = ClientJson.MAPPER.createObjectNode().put("namespace", namespace).put("name", name);
        putIfSet(json, "version", version);
        json.set("context", context);
        putIfSet(json, "initiator", initiator);
        putIfSet(json, "source_system", sourceSystem);
        putIfSet(json, "reason", reason);
        if (tags != null) {
            tags.forEach(json.putArray("tags")::add);
        }
        if (priority != null) {
            json.put("priority", priority);
        }
        putIfSet(json, "idempotency_key", idempotencyKey);
        putIfSet(json, "correlation_id", correlationId == null ? null : correlationId.toString());
        return json;
    }

    private static void putIfSet(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    public static final class Builder {
        private final String namespace;
        private final String name;
        private String version;
        private JsonNode context = ClientJson.MAPPER.createObjectNode();
        private String initiator;
        private String sourceSystem;
        private String reason;
        private List<String> tags;
        private Integer priority;
        private String idempotencyKey;
        private UUID correlationId;

        private Builder(String namespace, String name) {
            this.namespace = namespace;
            this.name = name;
        }

        /** A version such as {@code 1.0.0}; the newest registered one when not set. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /**
         * The task's input: a {@link JsonNode}, a {@code Map} or any object Jackson writes as a
         * JSON object; default {@code {}}.
         */
        public Builder context(Object context) {
            this.context = ClientJson.tree(context);
            return this;
        }

        public Builder initiator(String initiator) {
            this.initiator = initiator;
            return this;
        }

        public Builder sourceSystem(String sourceSystem) {
            this.sourceSystem = sourceSystem;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder tags(List<String> tags) {
            this.tags = tags;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** The task's identity for templates whose {@code identity_strategy} is {@code caller_key}. */
        public Builder idempotencyKey(String idempotencyKey) {
            this.idempotencyKey = idempotencyKey;
            return this;
        }

        public Builder correlationId(UUID correlationId) {
            this.correlationId = correlationId;
            return this;
        }

        public NewTask build() {
            return new NewTask(namespace, name, version, context, initiator, sourceSystem, reason, tags, priority,
                    idempotencyKey, correlationId);
        }
    }
}
