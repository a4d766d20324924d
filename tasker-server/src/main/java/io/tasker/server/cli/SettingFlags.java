package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of the settings a command uses, made from the settings themselves, so a flag, its
 * help and the setting cannot disagree; and {@code --config}, on every command that has them.
 */
final class SettingFlags {
    private SettingFlags() {}

    /** Adds the flags to every command of {@code commandLine} that takes settings, itself or through a mixin. */
    static void addTo(CommandLine commandLine) {
        CommandSpec spec = commandLine.getCommandSpec();
        Set<Setting<?>> settings = settingsOf(spec);
        if (!settings.isEmpty()) {
            spec.addOption(OptionSpec.builder(Configuration.FILE_FLAG).paramLabel("FILE").type(String.class)
                    .description("The configuration file (default: " + Configuration.FILE_VARIABLE + ", else "
                            + Configuration.FILE_NAME + " in the working directory when there is one). A flag wins "
                            + "over its TASKER_* variable, which wins over the file. See 'tasker config show'.")
                    .build());
            settings.forEach(setting -> spec.addOption(flag(setting)));
        }
        commandLine.getSubcommands().values().forEach(SettingFlags::addTo);
    }

    /** The settings a command takes, itself or through its mixins. */
    static Set<Setting<?>> settingsOf(CommandSpec command) {
        Set<Setting<?>> settings = new LinkedHashSet<>();
        if (command.userObject() instanceof TakesSettings takes) {
            settings.addAll(takes.settings());
        }
        command.mixins().values().forEach(mixin -> {
            if (mixin.userObject() instanceof TakesSettings options) {
                settings.addAll(options.settings());
            }
        });
        return settings;
    }

    private static OptionSpec flag(Setting<?> setting) {
        OptionSpec.Builder option = OptionSpec.builder(setting.flag()).paramLabel(setting.paramLabel())
                .description(setting.description() + " (" + String.join(", else ", setting.variables()) + "; "
                        + setting.key() + " in " + Configuration.FILE_NAME + "; default: " + setting.describeDefault()
                        + ")");
        return setting.isList()
                ? option.type(List.class).auxiliaryTypes(String.class).build()
                : option.type(String.class).build();
    }

    /** The text of every setting flag {@code command} was given, by flag, as often as it was given. */
    static Map<String, List<String>> given(CommandSpec command) {
        ParseResult parsed = command.commandLine().getParseResult();
        Map<String, List<String>> flags = new LinkedHashMap<>();
        if (parsed == null) {
            return flags;
        }
        for (OptionSpec option : parsed.matchedOptions()) {
            flags.put(option.longestName(), option.stringValues());
        }
        return flags;
    }

    /** The {@code --config} the command was given, or null. */
    static String configFile(CommandSpec command) {
        ParseResult parsed = command.commandLine().getParseResult();
        return parsed == null ? null : parsed.matchedOptionValue(Configuration.FILE_FLAG, null);
    }
}
