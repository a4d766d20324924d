package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.core.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample handler project, {@code examples/java-handlers}, as a user builds and runs it. The
 * build packages it on its own against this build's artifacts (maven-invoker-plugin, before the
 * integration tests); this test runs its jar with {@code tasker dev --handlers} from
 * {@code tasker.jar}, in a process of its own, and its tasks through the REST API to their end.
 */
class JavaHandlersSampleIT {
    private static final Pattern API_URL = Pattern.compile("REST API +(http://\\S+)");

    private final Path sample = Path.of(System.getProperty("java-handlers.built"));
    private final Path jar = sample.resolve("target/onboarding-handlers-1.0.0.jar");

    @Test
    void theSamplesTasksRunToTheirEndThroughTaskerDevWithItsJar(@TempDir Path dir) throws Exception {
        assertThat(jar).as("built by maven-invoker-plugin before the integration tests").isRegularFile();
        Path log = dir.resolve("dev.log");
        Process dev = new ProcessBuilder(java(), "-jar", System.getProperty("tasker.jar"), "dev",
                "--handlers", jar.toString(), "--templates", sample.resolve("templates").toString(),
                "--no-ruby", "--data-dir", dir.resolve("postgres").toString(), "--port", "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> output(log).contains("Press Ctrl-C to stop")
                    || !dev.isAlive());
            String ready = output(log);
            assertThat(dev.isAlive()).as(ready).isTrue();
            assertThat(ready)
                    .contains("Java handlers from " + jar.toAbsolutePath() + ": com.example.onboarding.ValidateEmail, "
                            + "com.example.onboarding.WriteWelcome")
                    .contains("worker      serving examples, onboarding with the Java handlers on the classpath and "
                            + "those in " + jar.toAbsolutePath())
                    .contains("onboarding/welcome_customer@1.0.0, 2 steps: registered");
            Tasks tasks = new Tasks(new Http(apiUrl(ready)));

            JsonNode welcomed = tasks.awaitFinished(tasks.create("onboarding", "welcome_customer",
                    "{\"email\": \" Ada@Example.COM \"}")).json();
            JsonNode refused = tasks.awaitFinished(tasks.create("onboarding", "welcome_customer",
                    "{\"email\": \"ada\"}")).json();

            assertThat(welcomed.get("state").asText()).as(welcomed.toString()).isEqualTo("complete");
            assertThat(Tasks.step(welcomed, "validate_email").get("results"))
                    .isEqualTo(Json.parse("{\"email\": \"ada@example.com\"}"));
            assertThat(Tasks.step(welcomed, "write_welcome").get("results")).isEqualTo(Json.parse(
                    "{\"to\": \"ada@example.com\", \"message\": \"Welcome aboard, ada@example.com!\"}"));
            assertThat(refused.get("state").asText()).as(refused.toString()).isEqualTo("error");
            JsonNode invalid = Tasks.step(refused, "validate_email");
            assertThat(invalid.get("attempts").asInt()).as("a PermanentException is not retried").isEqualTo(1);
            assertThat(invalid.get("last_error").toString()).contains("'ada' is not an email address");

            dev.destroy();
            assertThat(dev.waitFor(1, TimeUnit.MINUTES)).as(output(log)).isTrue();
            assertThat(dev.exitValue()).as(output(log)).isZero();
            assertThat(output(log).strip()).endsWith("stopped");
        } finally {
            dev.destroyForcibly();
        }
    }

    @Test
    void theSampleDependsOnThisVersionOfTasker() throws IOException {
        String pom = Files.readString(Path.of(System.getProperty("java-handlers.source"), "pom.xml"));

        assertThat(pom).contains("<tasker.version>" + System.getProperty("tasker.version") + "</tasker.version>");
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static String output(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static String apiUrl(String output) {
        Matcher matcher = API_URL.matcher(output);
        assertThat(matcher.find()).as(output).isTrue();
        return matcher.group(1);
    }
}
