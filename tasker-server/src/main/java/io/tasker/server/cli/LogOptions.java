package io.tasker.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.tasker.core.TaskerException;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The logging options of the commands that run long ({@code dev}, {@code server}, {@code worker}),
 * applied before anything starts. Given neither as a flag nor in the environment, the logging
 * stays as {@code logback.xml} (or a configuration of the user's own) sets it.
 */
final class LogOptions {
    /** The levels a user picks from, lowest first. */
    enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR }

    enum LogFormat { TEXT, JSON }

    private static final String TASKER = "io.tasker";

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "The lowest level of Tasker's log lines: error, warn, info, debug or trace "
                    + "(default: TASKER_LOG_LEVEL, else info). Other libraries log from warn up (error with error).")
    LogLevel level;

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text, or json: one JSON object per line, with task_uuid, step_uuid, step_name and "
                    + "worker_id where known (default: TASKER_LOG_FORMAT, else text).")
    LogFormat format;

    /**
     * Sets the level and format from the flags, else {@code TASKER_LOG_LEVEL} and
     * {@code TASKER_LOG_FORMAT}.
     *
     * @throws TaskerException for a value the environment gives that is not one of the choices
     */
    void apply(CommandSpec spec) {
        Map<String, String> environment = TaskerCommand.root(spec).environment();
        LogLevel chosenLevel = level != null ? level : fromEnvironment(environment, "TASKER_LOG_LEVEL", LogLevel.class);
        LogFormat chosenFormat = format != null ? format
                : fromEnvironment(environment, "TASKER_LOG_FORMAT", LogFormat.class);
        if (chosenLevel == null && chosenFormat == null) {
            return;
        }
        LoggerContext context = logback();
        if (chosenLevel != null) {
            setLevel(context, Level.toLevel(chosenLevel.name()));
        }
        if (chosenFormat == LogFormat.JSON) {
            writeJson(context);
        }
    }

    /**
     * Tasker's own lines from {@code level} up. Other libraries keep their levels (warn), but none
     * says more than asked: with error, their warnings go too.
     */
    private static void setLevel(LoggerContext context, Level level) {
        for (Logger logger : context.getLoggerList()) {
            if (!logger.getName().equals(TASKER) && !logger.getName().startsWith(TASKER + ".")
                    && logger.getLevel() != null && !logger.getLevel().isGreaterOrEqual(level)) {
                logger.setLevel(level);
            }
        }
        context.getLogger(TASKER).setLevel(level);
    }

    /** Every appender that writes Tasker's log (logback.xml's: stderr) writes JSON lines instead. */
    private static void writeJson(LoggerContext context) {
        List<OutputStreamAppender<ILoggingEvent>> appenders = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(appender -> {
            if (appender instanceof OutputStreamAppender<ILoggingEvent> stream) {
                appenders.add(stream);
            }
        });
        if (appenders.isEmpty()) {
            throw new TaskerException("--log-format json: the logging configuration in use has no appender to write "
                    + "JSON with; give your own configuration a JSON encoder instead");
        }
        for (OutputStreamAppender<ILoggingEvent> appender : appenders) {
            LogstashEncoder encoder = new LogstashEncoder();
            encoder.setContext(context);
            encoder.start();
            appender.stop();
            appender.setEncoder(encoder);
            appender.start();
        }
    }

    private static LoggerContext logback() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            throw new TaskerException("--log-level and --log-format need logback as the SLF4J provider, found "
                    + factory.getClass().getName());
        }
        return context;
    }

    private static <E extends Enum<E>> E fromEnvironment(Map<String, String> environment, String name,
                                                         Class<E> choices) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(choices, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TaskerException(name + " must be one of " + Arrays.stream(choices.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                    + ", got '" + value + "'");
        }
    }
}
