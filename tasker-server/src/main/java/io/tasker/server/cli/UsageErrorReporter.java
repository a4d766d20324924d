package io.tasker.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

/**
 * A mistake on the command line (an unknown option, a missing argument, a value that does not
 * convert) is one line on stderr and exit status 1, like any other error: what is wrong, what was
 * probably meant, and where the usage is. The usage itself is not printed: 30 lines of it bury
 * the one that matters.
 */
final class UsageErrorReporter implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + message(error) + suggestion(error) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ErrorReporter.EXIT_ERROR;
    }

    private static String message(ParameterException error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage().strip();
        return String.join("; ", message.lines().map(String::strip).filter(line -> !line.isEmpty()).toList());
    }

    private static String suggestion(ParameterException error) {
        if (!(error instanceof UnmatchedArgumentException unmatched)) {
            return "";
        }
        List<String> suggestions = unmatched.getSuggestions();
        if (suggestions.isEmpty()) {
            return "";
        }
        String prefix = unmatched.isUnknownOption() ? "" : unmatched.getCommandLine().getCommandSpec().qualifiedName() + " ";
        return "; did you mean " + String.join(" or ", suggestions.stream().map(s -> "'" + prefix + s + "'").toList()) + "?";
    }
}
