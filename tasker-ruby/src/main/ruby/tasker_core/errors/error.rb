# frozen_string_literal: true

module TaskerCore
  module Errors
    # The root of the errors a step handler raises on purpose. The classes and their keyword
    # arguments are those of tasker-core's Ruby worker, so its handlers raise them unchanged.
    #
    # A failed step records, in its error details, the error's code and context and whatever
    # else its class declares with `records` (see #details).
    class Error < StandardError
      class << self
        # Declares a keyword argument this class takes and keeps (with a reader); unless
        # detail: false, it is recorded in the failed step's error details when given.
        def records(name, detail: true)
          own_keywords[name] = detail
          attr_reader name unless method_defined?(name)
        end

        # Every keyword the class takes, its ancestors' included: name => recorded in the details.
        def keywords
          inherited = superclass.respond_to?(:keywords) ? superclass.keywords : {}
          inherited.merge(own_keywords)
        end

        private

        def own_keywords
          @own_keywords ||= {}
        end
      end

      # A Hash of anything that helps whoever reads the failed step; recorded with it.
      attr_reader :context

      def initialize(message = nil, context: {}, **keywords)
        super(message)
        @context = context || {}
        accepted = self.class.keywords
        unknown = keywords.keys - accepted.keys
        raise ArgumentError, "unknown keyword#{'s' if unknown.size > 1}: #{unknown.map(&:inspect).join(', ')}" if unknown.any?

        keywords.each { |name, value| instance_variable_set(:"@#{name}", value) }
      end

      # The error type recorded with the failed step: the class's short name.
      def error_type
        self.class.name.split('::').last
      end

      # tasker-core's name for error_type.
      def error_class
        error_type
      end

      # A machine-readable code: the one given as error_code:, else the context's :error_code.
      def error_code
        @error_code || context_error_code
      end

      # What the step's error details record besides the exception's class, message and backtrace.
      def details
        recorded = self.class.keywords.filter_map { |name, detail| [name.to_s, public_send(name)] if detail }.to_h
        recorded.merge('error_code' => error_code, 'context' => (context unless context.empty?)).compact
      end

      private

      def context_error_code
        return nil unless context.is_a?(Hash)

        context[:error_code] || context['error_code']
      end
    end

    # Configuration is missing or wrong (a handler, a setting): not retried.
    class ConfigurationError < Error; end

    # The parent of the errors about a step's own work: retryable, permanent, timeout, network.
    class ProceduralError < Error; end

    # Something went wrong coordinating the workflow; retried.
    class OrchestrationError < Error; end

    # A database refused the work (a constraint, the schema): not retried.
    class DatabaseError < Error; end
  end
end
