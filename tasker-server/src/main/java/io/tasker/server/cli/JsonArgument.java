package io.tasker.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** A JSON document given on the command line ({@code --context}, {@code --result}), read exactly. */
final class JsonArgument {
    private JsonArgument() {}

    /** Any JSON value. */
    static JsonNode value(CommandSpec command, String option, String text) {
        try {
            JsonNode json = Json.parse(text);
            if (json == null || json.isMissingNode()) {
                throw new IllegalArgumentException("empty");
            }
            return json;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command.commandLine(), option + " is " + e.getMessage()
                    + "; quote the JSON for the shell, e.g. " + option + " '{\"value\": 1}'");
        }
    }

    /** A JSON object, such as a task's context. */
    static JsonNode object(CommandSpec command, String option, String text, String example) {
        JsonNode json = value(command, option, text);
        if (!json.isObject()) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    option + " must be a JSON object, e.g. " + example + ", got " + text);
        }
        return json;
    }
}
