package io.tasker.examples;

import io.tasker.core.template.TemplateLoadResult;
import io.tasker.core.template.TemplateLoader;
import io.tasker.worker.handler.StepHandlerProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class ExampleHandlersTest {
    private static final String FOLDER = "tasker/templates/examples/";

    @Test
    void everyExampleTemplateStepHasAHandlerFoundThroughServiceLoader() {
        Map<String, Object> handlers = new HashMap<>();
        ServiceLoader.load(StepHandlerProvider.class).forEach(provider -> handlers.putAll(provider.handlers()));

        List<String> callables = read(FOLDER + "index.txt").lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(file -> (TemplateLoadResult.Loaded) TemplateLoader.parse(read(FOLDER + file), file))
                .flatMap(loaded -> loaded.template().steps().stream())
                .map(step -> step.handler().callable())
                .distinct()
                .toList();

        assertThat(callables).hasSize(15);
        assertThat(handlers).containsKeys(callables.toArray(String[]::new));
    }

    private static String read(String resource) {
        try (InputStream in = ExampleHandlersTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
