package io.tasker.server.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.core.internal.Json;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tasker config show}: every setting's value and where it came from, as a command started
 * here with the same flags would get it. Secrets are masked, and so is the password of a database
 * URL.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print every setting's effective value and where it came from: a flag, a TASKER_* variable, "
                + "the configuration file (tasker.yaml in the working directory, or --config FILE) and its line, "
                + "or the default. Secrets and database passwords are masked.",
                "Give it the flags you would give another command to see what that command would run with."})
final class ConfigShowCommand implements Callable<Integer>, TakesSettings {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object: the file read, and every setting with its key, "
            + "value, source, variable and flag.")
    boolean json;

    @Override
    public List<Setting<?>> settings() {
        return Settings.ALL;
    }

    @Override
    public Integer call() {
        Configuration config = TaskerCommand.configuration(spec);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, json(config));
            return 0;
        }
        out.println("configuration file: " + config.file().orElse("none (no " + Configuration.FILE_NAME
                + " in the working directory, no --config, no " + Configuration.FILE_VARIABLE + ")"));
        out.println();
        Table table = Table.withHeader("SETTING", "VALUE", "SOURCE");
        for (Setting<?> setting : config.settings()) {
            table.row(setting.key(), config.shown(setting), config.source(setting).describe());
        }
        table.print(out);
        return 0;
    }

    private static ObjectNode json(Configuration config) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("file", config.file().orElse(null));
        ArrayNode settings = root.putArray("settings");
        for (Setting<?> setting : config.settings()) {
            ObjectNode entry = settings.addObject();
            entry.put("key", setting.key());
            entry.put("value", config.find(setting).isPresent() ? config.shown(setting) : null);
            entry.put("source", config.source(setting).describe());
            entry.put("variable", setting.variable());
            entry.put("flag", setting.flag());
        }
        return root;
    }
}
