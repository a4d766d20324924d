package io.tasker.server.web;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's programs the web UI's tests run (Node.js, chromium), found as a shell finds them. */
final class Programs {
    private Programs() {}

    /** {@code program} in a directory of the PATH, or null when it is not installed there. */
    static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
