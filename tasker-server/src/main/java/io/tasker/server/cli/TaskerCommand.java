package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.server.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code tasker} executable. Commands read the process environment and the working directory
 * (where {@code tasker.yaml} is looked for) through this root object, the one place that reads
 * them, so tests can run the whole command line in-process with an environment of their choosing.
 */
@Command(name = "tasker", mixinStandardHelpOptions = true, versionProvider = TaskerVersion.class,
        description = "Workflow orchestration on PostgreSQL.",
        subcommands = {DbCommand.class, DevCommand.class, ServerCommand.class, WorkerCommand.class, TaskCommand.class,
                StepCommand.class, TemplateCommand.class, DlqCommand.class, TokenCommand.class, ConfigCommand.class})
public final class TaskerCommand extends CommandGroup {
    private final Map<String, String> environment;
    private final String program;
    private final Path workingDirectory;

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
        this(environment, program, Path.of(""));
    }

    /** @param workingDirectory where {@code tasker.yaml} is looked for, and a relative {@code --config} starts */
    public TaskerCommand(Map<String, String> environment, String program, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.program = program;
        this.workingDirectory = workingDirectory;
    }

    /**
     * The command line as {@code main} runs it: with errors reported as one line each, and the
     * commands of jars beside this one ({@link CommandProvider}).
     */
    public static CommandLine commandLine(TaskerCommand command) {
        CommandLine commandLine = new CommandLine(command);
        // Before the settings below, which reach only the commands already added.
        AbsentHarnessCommand.addTo(commandLine);
        commandLine.setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(UUID.class, new UuidConverter());
        SettingFlags.addTo(commandLine);
        return commandLine;
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

    /**
     * The settings of a command: its flags over the environment over the configuration file over
     * the defaults. Variables that look like a misspelt setting are warned about on its stderr.
     *
     * @throws io.tasker.core.config.ConfigException naming the setting and where its bad value came from
     */
    static Configuration configuration(CommandSpec command) {
        TaskerCommand root = root(command);
        Configuration config = Settings.load(new Configuration.Inputs(SettingFlags.given(command), root.environment,
                root.workingDirectory, SettingFlags.configFile(command)));
        PrintWriter err = command.commandLine().getErr();
        config.warnings().forEach(warning -> err.println("warning: " + warning));
        err.flush();
        return config;
    }

    /** The settings another command started here gets: without this command's flags. */
    static Configuration configurationWithoutFlags(CommandSpec command) {
        TaskerCommand root = root(command);
        return Settings.load(new Configuration.Inputs(Map.of(), root.environment, root.workingDirectory, null));
    }

    static TaskerCommand root(CommandSpec command) {
        return (TaskerCommand) command.root().userObject();
    }
}
