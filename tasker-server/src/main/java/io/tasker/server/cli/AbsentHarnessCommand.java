package io.tasker.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * Stands in for a command of the benchmark harness, tasker-bench.jar, when that jar is not on the
 * classpath: tasker.jar does not carry the harness. The command stays known, in the help too, and
 * running it says in one line how to get the harness.
 */
@Command
final class AbsentHarnessCommand implements Callable<Integer> {
    /** The harness's commands, and what each does. */
    private static final Map<String, String> HARNESS = Map.of(
            "bench", "Run the benchmarks.",
            "chaos", "Kill and restart workers, the server and PostgreSQL under load, then check that nothing was "
                    + "lost, wrong or recorded twice.");
    private static final String BUILD = "./mvnw -q package -pl tasker-bench -am -DskipTests";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    /** Whatever the real command would take: the answer is the same. */
    @Unmatched
    List<String> arguments;

    /** Adds the commands of every {@link CommandProvider} on the classpath, and a stand-in for each missing one of the harness. */
    static void addTo(CommandLine root) {
        for (CommandProvider provider : ServiceLoader.load(CommandProvider.class, TaskerCommand.class.getClassLoader())) {
            provider.commands().forEach(root::addSubcommand);
        }
        HARNESS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(command -> !root.getSubcommands().containsKey(command.getKey()))
                .forEach(command -> {
                    CommandLine standIn = new CommandLine(new AbsentHarnessCommand());
                    standIn.getCommandSpec().usageMessage().description(command.getValue(),
                            "It is in the benchmark harness, tasker-bench.jar, which is not on the classpath: in a "
                                    + "Tasker checkout, bin/tasker " + command.getKey() + " builds and runs it.");
                    root.addSubcommand(command.getKey(), standIn);
                });
    }

    @Override
    public Integer call() {
        String name = spec.name();
        spec.commandLine().getErr().println("error: tasker " + name + " is in the benchmark harness, tasker-bench.jar, "
                + "which is not on the classpath: in a Tasker checkout run bin/tasker " + name + ", which builds it, "
                + "or build it with " + BUILD + " and run java -cp tasker.jar:tasker-bench.jar "
                + TaskerCommand.class.getName() + " " + name);
        spec.commandLine().getErr().flush();
        return ErrorReporter.EXIT_ERROR;
    }
}
