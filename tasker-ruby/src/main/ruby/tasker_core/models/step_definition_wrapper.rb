# frozen_string_literal: true

module TaskerCore
  module Models
    # The step's template entry, as tasker-core's handlers see it: context.step_definition.
    class StepDefinitionWrapper
      attr_reader :name, :handler, :dependencies, :retry, :timeout_seconds

      def initialize(step)
        @name = step.step_name
        @handler = HandlerWrapper.new(step.callable, step.step_inputs, step.handler_method)
        @dependencies = step.depends_on
        @retry = IndifferentHash.wrap(step.retry_policy)
        @timeout_seconds = step.timeout_seconds
      end

      def description = nil
      def system_dependency = nil

      def publishes_events
        []
      end
    end

    # The template's handler entry: callable, initialization and the method to call.
    class HandlerWrapper
      attr_reader :callable, :initialization, :handler_method

      def initialize(callable, initialization, handler_method)
        @callable = callable
        @initialization = initialization
        @handler_method = handler_method
      end

      def resolver = nil
    end
  end
end
