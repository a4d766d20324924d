package io.tasker.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Someone else's Ruby handlers, as a folder for {@code --ruby-handlers}: a template in namespace
 * {@code acme} with two steps, their handler classes, and a helper one of them loads with
 * {@code require_relative}. The second step uses the first one's result and its own inputs.
 */
public final class AcmeRubyHandlers {
    public static final String NAMESPACE = "acme";
    public static final String TEMPLATE = "greet_customer";
    public static final String CONTEXT = "{\"customer\": \"Ada\"}";

    private AcmeRubyHandlers() {}

    /** Writes the folder into {@code dir} and returns it. */
    public static Path write(Path dir) {
        writeFile(dir, "templates/greet_customer.yaml", """
                namespace: acme
                name: greet_customer
                version: 1.0.0
                input_schema:
                  type: object
                  required: [customer]
                  properties:
                    customer: {type: string}
                steps:
                  - name: look_up
                    handler:
                      callable: Acme::LookUpCustomer
                      initialization: {tier: gold}
                  - name: greet
                    handler:
                      callable: acme.greet
                      initialization: {greeting: Hello}
                    depends_on: [look_up]
                """);
        writeFile(dir, "look_up_customer.rb", """
                # frozen_string_literal: true

                module Acme
                  class LookUpCustomer < TaskerCore::StepHandler::Base
                    def call(step)
                      { 'customer' => step.task_context.fetch('customer'), 'tier' => step.step_inputs.fetch('tier'),
                        'visits' => 2**70 }
                    end
                  end
                end
                """);
        writeFile(dir, "greet.rb", """
                # frozen_string_literal: true

                require_relative 'support/formatting'

                module Acme
                  class Greet < TaskerCore::StepHandler::Base
                    callable 'acme.greet'

                    def call(step)
                      customer = step.dependency_result('look_up')
                      success(result: { 'greeting' => Formatting.greeting(step.step_inputs.fetch('greeting'), customer),
                                        'visits' => customer.fetch('visits') + 1 })
                    end
                  end
                end
                """);
        writeFile(dir, "support/formatting.rb", """
                # frozen_string_literal: true

                module Acme
                  module Formatting
                    def self.greeting(word, customer) = "#{word}, #{customer.fetch('customer')} (#{customer.fetch('tier')})!"
                  end
                end
                """);
        return dir;
    }

    /** Asserts that {@code task}, made from {@link #CONTEXT}, ran both steps with their own inputs. */
    public static void assertGreeted(JsonNode task) {
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("complete");
        JsonNode greet = Tasks.step(task, "greet").get("results");
        assertThat(greet.get("greeting").asText()).isEqualTo("Hello, Ada (gold)!");
        assertThat(greet.get("visits").bigIntegerValue()).isEqualTo(BigInteger.TWO.pow(70).add(BigInteger.ONE));
    }

    /** Writes {@code text} to {@code file} under {@code dir}, creating folders as needed. */
    public static Path writeFile(Path dir, String file, String text) {
        try {
            Path path = dir.resolve(file);
            Files.createDirectories(path.getParent());
            return Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
