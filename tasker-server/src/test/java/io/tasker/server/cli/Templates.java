package io.tasker.server.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Template files for command tests. */
final class Templates {
    private Templates() {}

    static final String VALID = """
            namespace: team
            name: greeting
            version: 1.0.0
            steps:
              - name: hello
                handler: {callable: com.example.Hello}
              - name: goodbye
                handler: {callable: com.example.Goodbye}
                depends_on: [hello]
            """;

    /** Two problems: a cycle and an unknown dependency. */
    static final String INVALID = """
            namespace: team
            name: broken
            version: 1.0.0
            steps:
              - name: a
                handler: {callable: com.example.A}
                depends_on: [b]
              - name: b
                handler: {callable: com.example.B}
                depends_on: [a, zz]
            """;

    static Path write(Path dir, String fileName, String yaml) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(fileName), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
