package io.tasker.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template as commands name it: {@code NAMESPACE/NAME}, or {@code NAMESPACE/NAME@VERSION} for one
 * version.
 *
 * @param version null for the newest
 */
record TemplateRef(String namespace, String name, String version) {
    static final String LABEL = "NAMESPACE/NAME[@VERSION]";

    private static final Pattern FORM = Pattern.compile("([^/@\\s]+)/([^/@\\s]+)(?:@(\\S+))?");

    /** @throws CommandLine.ParameterException for text of another form, with an example */
    static TemplateRef parse(String text, CommandSpec command) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()) {
            throw new CommandLine.ParameterException(command.commandLine(), "the template must be given as "
                    + "NAMESPACE/NAME or NAMESPACE/NAME@VERSION, e.g. examples/linear_workflow, got '" + text + "'");
        }
        return new TemplateRef(matcher.group(1), matcher.group(2), matcher.group(3));
    }
}
