package io.tasker.orchestration;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A task as a list shows it: without its steps, with how many of them are in each state and,
 * for a task in error, its most recently failed step.
 *
 * @param lastError {@code {step_name, step_uuid, message, error_type}}, or null
 */
public record TaskSummary(TaskView task, Map<String, Integer> stepCounts, JsonNode lastError) {}
