package io.tasker.server.cli;

/**
 * How the user started Tasker, so that the commands it suggests ("Try it in another terminal")
 * can be pasted as they are: {@code tasker} when the launcher was found on the {@code PATH},
 * {@code bin/tasker} when it was called by that path, {@code java -jar tasker.jar} without it.
 */
final class ProgramName {
    /** Set by {@code bin/tasker} to the name or path it was called by. */
    static final String PROPERTY = "tasker.program";
    static final String DEFAULT = "tasker";

    private ProgramName() {}

    static String current() {
        return of(System.getProperty(PROPERTY), System.getProperty("sun.java.command"));
    }

    /**
     * @param launcher    what the launcher said, or null
     * @param javaCommand the JVM's main class or jar and the arguments, as {@code sun.java.command} has them
     */
    static String of(String launcher, String javaCommand) {
        if (launcher != null && !launcher.isBlank()) {
            return quoted(launcher.strip());
        }
        String first = javaCommand == null ? "" : javaCommand.strip().split(" ", 2)[0];
        return first.endsWith(".jar") ? "java -jar " + quoted(first) : DEFAULT;
    }

    /** A path with a space would be two words in a shell. */
    private static String quoted(String word) {
        return word.matches("[\\w./~+:@%=-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
