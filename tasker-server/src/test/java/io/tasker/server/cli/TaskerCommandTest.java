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

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).isEqualTo("error: missing command: choose one of migrate (see 'tasker db --help')\n");
    }

    @Test
    void anUnknownCommandIsOneLineWithExitStatusOne() {
        CommandRun run = CommandRun.run(Map.of(), "frobnicate");

        assertThat(run.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(run.err()).startsWith("error: Unmatched argument at index 0: 'frobnicate'")
                .endsWith(" (see 'tasker --help')\n").hasLineCount(1);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aUsageMistakeIsOneLineSayingWhatWasProbablyMeant() {
        CommandRun typo = CommandRun.run(Map.of(), "tsk", "list");
        CommandRun unknownOption = CommandRun.run(Map.of(), "dev", "--no-rubby");
        CommandRun missing = CommandRun.run(Map.of(), "task", "create");

        assertThat(typo.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(typo.err()).isEqualTo("error: Unmatched arguments from index 0: 'tsk', 'list'; "
                + "did you mean 'tasker task'? (see 'tasker --help')\n");
        assertThat(unknownOption.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(unknownOption.err()).isEqualTo("error: Unknown option: '--no-rubby'; did you mean '--no-ruby'? "
                + "(see 'tasker dev --help')\n");
        assertThat(missing.exitCode()).isEqualTo(ErrorReporter.EXIT_ERROR);
        assertThat(missing.err()).isEqualTo("error: Missing required parameter: 'NAMESPACE/NAME[@VERSION]' "
                + "(see 'tasker task create --help')\n");
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
