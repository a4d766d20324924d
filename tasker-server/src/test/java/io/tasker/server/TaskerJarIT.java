package io.tasker.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tasker.jar as the build packages it: what {@code tasker dev} needs is in it, the benchmark
 * harness is not (it is tasker-bench.jar), and asking it for the harness's commands says how to
 * get them.
 */
class TaskerJarIT {
    /** The packages of the harness and of the libraries only it uses (JMH and its jopt-simple and commons-math3, HdrHistogram). */
    private static final List<String> HARNESS = List.of("io/tasker/bench/", "org/openjdk/jmh/", "joptsimple/",
            "org/apache/commons/math3/", "org/HdrHistogram/");
    private static final long MAX_BYTES = 100_000_000;

    private final Path jar = Path.of(System.getProperty("tasker.jar"));

    @Test
    void itCarriesTaskerDevButNotTheBenchmarkHarness() throws IOException {
        assertThat(Files.size(jar)).isLessThanOrEqualTo(MAX_BYTES);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> harness = zip.stream().map(ZipEntry::getName)
                    .filter(name -> HARNESS.stream().anyMatch(name::startsWith)).limit(10).toList();
            assertThat(harness).isEmpty();
            assertThat(zip.getEntry("io/tasker/dev/EmbeddedDatabase.class")).isNotNull();
            assertThat(zip.getEntry("tasker/templates/examples/linear_workflow.yaml")).isNotNull();
        }
    }

    @Test
    void benchAndChaosSayInOneLineHowToGetTheHarness(@TempDir Path dir) throws Exception {
        for (String command : List.of("bench", "chaos")) {
            Path out = dir.resolve(command + ".out");
            Path err = dir.resolve(command + ".err");
            Process tasker = new ProcessBuilder(java(), "-jar", jar.toString(), command, "--tasks", "3")
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();

            assertThat(tasker.waitFor(1, TimeUnit.MINUTES)).as(command).isTrue();
            assertThat(tasker.exitValue()).as(Files.readString(err)).isEqualTo(1);
            assertThat(Files.readString(err)).hasLineCount(1)
                    .startsWith("error: tasker " + command + " is in the benchmark harness, tasker-bench.jar")
                    .contains("bin/tasker " + command, "./mvnw -q package -pl tasker-bench -am -DskipTests");
            assertThat(out).isEmptyFile();
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
