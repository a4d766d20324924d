package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.Map;
import java.util.UUID;

/**
 * The {@code tasker} executable. Commands read the process environment through this root object,
 * so tests can run the whole command line in-process with an environment of their choosing.
 */
@Command(name = "tasker", mixinStandardHelpOptions = true, versionProvider = TaskerVersion.class,
        description = "Workflow orchestration on PostgreSQL.",
        subcommands = {DbCommand.class, DevCommand.class, ServerCommand.class, WorkerCommand.class, TaskCommand.class,
                StepCommand.class, TemplateCommand.class, DlqCommand.class, TokenCommand.class})
public final class TaskerCommand extends CommandGroup {
    private final Map<String, String> environment;
    private final String program;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Show the full stack trace of an error (also: TASKER_DEBUG=1).")
    boolean verbose;

    public TaskerCommand() {
        this(System.getenv(), ProgramName.current());
    }

    /** A command line with {@code environment}, whose suggestions say {@code tasker}. */
    public TaskerCommand(Map<String, String> environment) {
        this(environment, ProgramName.DEFAULT);
    }

    /** @param program how the user runs Tasker, as the commands it suggests say it ({@link ProgramName}) */
    public TaskerCommand(Map<String, String> environment, String program) {
        this.environment = Map.copyOf(environment);
        this.program = program;
    }

    /**
     * The command line as {@code main} runs it: with errors reported as one line each, and the
     * commands of jars beside this one ({@link CommandProvider}).
     */
    public static CommandLine commandLine(TaskerCommand command) {
        CommandLine commandLine = new CommandLine(command);
        // Before the settings below, which reach only the commands already added.
        AbsentHarnessCommand.addTo(commandLine);
        return commandLine.setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(UUID.class, new UuidConverter());
    }

    public static void main(String[] args) {
        System.exit(commandLine(new TaskerCommand()).execute(args));
    }

    Map<String, String> environment() {
        return environment;
    }

    /** How the user runs Tasker: {@code tasker}, {@code bin/tasker}, {@code java -jar tasker.jar}. */
    String program() {
        return program;
    }

    /** The settings for a command: its flags over the environment over the defaults. */
    static TaskerConfig config(CommandSpec command, TaskerConfig.Flags flags) {
        return TaskerConfig.resolve(flags, root(command).environment);
    }

    static TaskerCommand root(CommandSpec command) {
        return (TaskerCommand) command.root().userObject();
    }
}
