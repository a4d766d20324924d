package io.tasker.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.tasker.core.TaskerException;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import io.tasker.server.config.Settings.LogFormat;
import io.tasker.server.config.Settings.LogLevel;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * The logging settings of the commands that run long ({@code dev}, {@code server}, {@code worker}),
 * applied before anything starts. Given neither, the logging stays as {@code logback.xml} (or a
 * configuration of the user's own) sets it.
 */
@Command // a mixin whose options SettingFlags makes
final class LogOptions implements TakesSettings {
    private static final String TASKER = "io.tasker";

    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.LOG_LEVEL, Settings.LOG_FORMAT);
    }

    /** Sets the configured level and format. */
    static void apply(Configuration config) {
        Level level = level(config);
        boolean json = config.get(Settings.LOG_FORMAT) == LogFormat.JSON;
        if (level == null && !json) {
            return;
        }
        LoggerContext context = logback();
        if (level != null) {
            setLevel(context, level);
        }
        if (json) {
            writeJson(context);
        }
    }

    /** The level Tasker's loggers get; null leaves them as the logging configuration has them. */
    static Level level(Configuration config) {
        LogLevel level = config.get(Settings.LOG_LEVEL);
        return level == null ? null : Level.toLevel(level.name());
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
}
