package io.tasker.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskerCommandTest {

    @Test
    void versionIsTheProjectVersion() {
        CommandRun run = CommandRun.run(Map.of(), "--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).matches("tasker \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void everyCommandHasHelp() {
        List<List<String>> commands = new ArrayList<>();
        collect(TaskerCommand.commandLine(new TaskerCommand(Map.of())), new ArrayList<>(), commands);
        assertThat(commands).contains(List.of(), List.of("db", "migrate"), List.of("dev"), List.of("template", "validate"));

        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.add("--help");
            CommandRun run = CommandRun.run(Map.of(), args.toArray(String[]::new));

            assertThat(run.exitCode()).as("tasker %s --help", command).isZero();
            assertThat(run.out()).as("tasker %s --help", command).startsWith("Usage: tasker");
        }
    }

    @Test
    void aGroupWithoutItsCommandSaysWhichExist() {
        CommandRun run = CommandRun.run(Map.of(), "db");

        assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run.err()).contains("missing command: choose one of migrate");
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CommandRun run = CommandRun.run(Map.of(), "frobnicate");

        assertThat(run.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(run.err()).contains("Unmatched argument");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> subPath = new ArrayList<>(path);
            subPath.add(name);
            collect(sub, subPath, into);
        });
    }
}
