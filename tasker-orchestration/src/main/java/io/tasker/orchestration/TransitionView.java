package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of a task's history.
 *
 * @param subject   {@code "task"} for the task itself, otherwise the step's name
 * @param fromState null for the entry that created the subject
 * @param metadata  why the change happened (worker, error, reason), or null
 */
public record TransitionView(String subject, String fromState, String toState, JsonNode metadata, Instant at) {}
