package io.tasker.orchestration.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import io.tasker.core.template.TaskTemplate;
import io.tasker.orchestration.InvalidTaskRequestException;

import java.util.UUID;

/**
 * The {@code identity_hash} of a new task, which a unique index turns into "at most one task per
 * identity". It is SHA-256 over a canonical JSON array of the strategy's name and its parts, so
 * the strategies can never produce each other's hashes and no part can run into the next:
 *
 * <ul>
 *   <li>{@code strict}: the template with its version, and the context with keys sorted at every
 *       level and every number in one exact form, so key order and {@code 1} versus {@code 1.0}
 *       do not make a second task;
 *   <li>{@code caller_key}: the template without its version, and the caller's idempotency key;
 *   <li>{@code always_unique}: the new task's own id.
 * </ul>
 */
public final class TaskIdentity {
    private TaskIdentity() {}

    public static String of(TaskTemplate template, JsonNode context, String idempotencyKey, UUID taskId) {
        var nodes = Json.MAPPER.getNodeFactory();
        return switch (template.identityStrategy()) {
            case STRICT -> sha256("strict", nodes.textNode(template.key()), context);
            case CALLER_KEY -> {
                if (idempotencyKey == null || idempotencyKey.isBlank()) {
                    throw new InvalidTaskRequestException(template.key()
                            + " uses identity_strategy caller_key, so the request needs an idempotency_key");
                }
                yield sha256("caller_key", nodes.textNode(template.namespace() + "/" + template.name()),
                        nodes.textNode(idempotencyKey));
            }
            case ALWAYS_UNIQUE -> sha256("always_unique", nodes.textNode(taskId.toString()));
        };
    }

    private static String sha256(String strategy, JsonNode... parts) {
        var array = Json.MAPPER.createArrayNode().add(strategy);
        for (JsonNode part : parts) {
            array.add(part);
        }
        return Json.canonicalSha256(array);
    }
}
