package io.tasker.server.cli;

import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every setting as the catalogue and the command line have it. Run with
 * {@code -Dtasker.writeDocs=true} to write the table into the page after changing a setting.
 */
class ConfigurationDocTest {
    private static final Path PAGE = Path.of("").toAbsolutePath().getParent().resolve("docs/configuration.md");
    private static final String START = "<!-- The table is made from Settings.ALL: run ConfigurationDocTest with "
            + "-Dtasker.writeDocs=true to write it again. -->";
    private static final String END = "<!-- end of the settings table -->";

    @Test
    void theSettingsTableOfTheDocsIsTheCatalogue() throws IOException {
        String page = Files.readString(PAGE);
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        assertThat(start).as("the table's start marker in " + PAGE).isNotNegative();
        assertThat(end).as("the table's end marker").isGreaterThan(start);
        String written = page.substring(start + START.length(), end);
        String table = "\n" + table() + "\n";
        if (!written.equals(table) && Boolean.getBoolean("tasker.writeDocs")) {
            Files.writeString(PAGE, page.substring(0, start + START.length()) + table + page.substring(end));
            return;
        }
        assertThat(written).as("the table in " + PAGE + " (-Dtasker.writeDocs=true writes it)").isEqualTo(table);
    }

    static String table() {
        Map<Setting<?>, List<String>> commands = commandsBySetting();
        List<String> lines = new ArrayList<>();
        lines.add("| key | environment | flag | default | meaning |");
        lines.add("|---|---|---|---|---|");
        for (Setting<?> setting : Settings.ALL) {
            lines.add("| `" + setting.key() + "` | "
                    + setting.variables().stream().map(v -> "`" + v + "`").collect(Collectors.joining(", else ")) + " | `"
                    + setting.flag() + " " + setting.paramLabel() + "`" + (setting.isList() ? " (repeatable)" : "")
                    + " on " + String.join(", ", commands.getOrDefault(setting, List.of())) + " | "
                    + setting.describeDefault().replace("|", "\\|") + " | "
                    + setting.description().replace("|", "\\|") + " |");
        }
        return String.join("\n", lines);
    }

    /** The commands that take each setting, but {@code config show}, which takes them all: {@code dev}, {@code task …}. */
    private static Map<Setting<?>, List<String>> commandsBySetting() {
        Map<Setting<?>, List<String>> commands = new LinkedHashMap<>();
        CommandLine root = TaskerCommand.commandLine(new TaskerCommand(Map.of()));
        root.getSubcommands().forEach((name, command) -> {
            if (name.equals("config")) {
                return;
            }
            List<CommandLine> leaves = command.getSubcommands().isEmpty() ? List.of(command)
                    : List.copyOf(command.getSubcommands().values());
            Map<Setting<?>, List<String>> inGroup = new LinkedHashMap<>();
            for (CommandLine leaf : leaves) {
                SettingFlags.settingsOf(leaf.getCommandSpec()).forEach(setting -> inGroup
                        .computeIfAbsent(setting, s -> new ArrayList<>()).add(leaf.getCommandName()));
            }
            inGroup.forEach((setting, names) -> commands.computeIfAbsent(setting, s -> new ArrayList<>())
                    .add(command.getSubcommands().isEmpty() ? name
                            : names.size() == leaves.size() && leaves.size() > 1 ? name + " …"
                            : name + " " + String.join("/", names)));
        });
        return commands;
    }
}
