package io.tasker.server.cli;

import io.tasker.core.TaskerException;
import io.tasker.core.db.DatabaseException;
import io.tasker.core.db.DatabaseUrl;
import org.flywaydb.core.api.FlywayException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Set;

/**
 * Turns an exception escaping a command into one line on stderr and exit status 1. A stack trace
 * helps only whoever debugs Tasker itself, so it is shown only with {@code --verbose} or
 * {@code TASKER_DEBUG}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
    static final int EXIT_ERROR = 1;

    /** Exceptions whose message is written for the user; anything else is a bug worth a hint. */
    private static final Set<Class<? extends Exception>> EXPLAINED = Set.of(
            TaskerException.class, DatabaseException.class, FlywayException.class);

    @Override
    public int handleExecutionException(Exception error, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        boolean verbose = verbose(command, parsed);
        // A message may quote a database URL (a driver's error, say); its password stays hidden.
        err.println("error: " + DatabaseUrl.redact(describe(error))
                + (verbose || explained(error) ? "" : " (run with --verbose for the stack trace)"));
        if (verbose) {
            error.printStackTrace(err);
        }
        err.flush();
        return EXIT_ERROR;
    }

    private static String describe(Exception error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getName();
        }
        // Flyway writes multi-line reports; keep all of it, on one line.
        String oneLine = String.join("; ", message.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        return explained(error) ? oneLine : error.getClass().getSimpleName() + ": " + oneLine;
    }

    private static boolean explained(Exception error) {
        return EXPLAINED.stream().anyMatch(type -> type.isInstance(error));
    }

    private static boolean verbose(CommandLine command, ParseResult parsed) {
        for (ParseResult level = parsed; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        String debug = TaskerCommand.root(command.getCommandSpec()).environment().get("TASKER_DEBUG");
        return debug != null && !debug.isBlank() && !debug.equals("0") && !debug.equalsIgnoreCase("false");
    }
}
