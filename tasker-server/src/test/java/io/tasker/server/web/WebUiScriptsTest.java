package io.tasker.server.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web UI's JavaScript unit tests ({@code src/test/js}), run by the machine's Node.js so one
 * build tests both languages without downloading a JavaScript toolchain. Skipped where Node.js
 * is not installed.
 */
class WebUiScriptsTest {
    private static final Path TESTS = Path.of("src", "test", "js");

    @Test
    void theJavaScriptTestsPass() throws IOException, InterruptedException {
        Path node = Programs.onPath("node");
        assumeTrue(node != null, "Node.js is not on the PATH; the web UI's JavaScript tests are skipped");
        List<String> command = new ArrayList<>(List.of(node.toString(), "--test"));
        try (Stream<Path> files = Files.list(TESTS)) {
            files.filter(file -> file.getFileName().toString().endsWith(".test.js")).sorted()
                    .forEach(file -> command.add(file.toString()));
        }
        assertThat(command).hasSizeGreaterThan(2);

        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
    }
}
