package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.UUID;

/** A step as the list of steps across tasks shows it. */
public record StepSummary(UUID stepId, UUID taskId, String namespace, String taskName, String name, String state,
                          int attempts, int maxAttempts, JsonNode lastError, Instant updatedAt) {}
