# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # The base class of Ruby step handlers. A template step names a handler by its callable,
    # which is the class name unless the class says otherwise with `callable 'name'`.
    #
    #   class ValidateOrder < TaskerCore::StepHandler::Base
    #     def call(context)
    #       order = context.task_context.fetch('order')
    #       raise TaskerCore::Errors::PermanentError, 'no items' if order['items'].empty?
    #
    #       success(result: { 'valid' => true })
    #     end
    #   end
    #
    # Every step gets a new instance, made with the template's handler initialization as config:
    # (see #config), but instances of one class run in parallel on several threads. A class whose
    # code is not thread-safe (shared state, a client that is not) says `serial!`, and its steps
    # then run one at a time.
    #
    # Handlers written for tasker-core's Ruby worker run as they are: a call(task, sequence, step)
    # gets that generation's three objects (see StepExecutionSubscriber), a call(context) gets the
    # step context, and the result helpers take both generations' arguments.
    class Base
      SERIAL_LOCKS_GUARD = Mutex.new
      DEFINITIONS_GUARD = Mutex.new
      NOT_GIVEN = Object.new.freeze
      private_constant :SERIAL_LOCKS_GUARD, :DEFINITIONS_GUARD, :NOT_GIVEN

      @definitions = 0

      class << self
        # Sets (with an argument) or returns the callable templates use for this class.
        def callable(name = nil)
          if name
            @callable = name.to_s.freeze
            Base.note_definition
          end
          @callable || self.name
        end

        # How many handler classes were defined or renamed so far: the registry registers the new
        # ones when this has moved, so a worker also claims steps for a class loaded after it started.
        def definitions
          Base.instance_variable_get(:@definitions)
        end

        def note_definition
          DEFINITIONS_GUARD.synchronize { Base.instance_variable_set(:@definitions, definitions + 1) }
        end

        def inherited(subclass)
          super
          Base.note_definition
        end

        # Sets (with an argument) or returns the namespace this handler serves, if it says.
        def namespace(name = nil)
          @namespace = name.to_s.freeze if name
          @namespace || (superclass.namespace if superclass.respond_to?(:namespace))
        end

        # Declares that steps of this class must not run concurrently with each other.
        def serial!
          @serial = true
          serial_lock
          self
        end

        def serial?
          @serial == true || (superclass.respond_to?(:serial?) && superclass.serial?)
        end

        # The lock serial steps of this class run under; one per class.
        def serial_lock
          @serial_lock || SERIAL_LOCKS_GUARD.synchronize { @serial_lock ||= Mutex.new }
        end

        # Declares that this class is a base for other handlers (like Decision or Batchable) and
        # runs no step itself: it is never registered.
        def abstract!
          @abstract = true
          self
        end

        def abstract?
          @abstract == true
        end

        # Every loaded named subclass, at any depth, except abstract ones.
        def handler_classes
          subclasses.flat_map { |klass| [klass, *klass.handler_classes] }
                    .select { |klass| klass.name && !klass.abstract? }.uniq
        end
      end

      # config is the handler's initialization from the template, as tasker-core passes it
      # (new(config: {...})); the worker passes it positionally, which costs a step less.
      def initialize(initialization = nil, config: initialization, logger: nil)
        @config = config && IndifferentHash.wrap(config)
        @logger = logger
      end

      def config
        @config ||= IndifferentHash.new
      end

      # TaskerCore::Logger, which writes to TaskerCore.logger.
      def logger
        @logger ||= TaskerCore::Logger.instance
      end

      # Runs the step; returns success(...), failure(...) or a plain result value, or raises.
      def call(_context)
        raise NotImplementedError, "#{self.class.name} must implement call(context)"
      end

      # A successful step with result (tasker-core also calls it result_data).
      def success(result: NOT_GIVEN, result_data: NOT_GIVEN, metadata: {})
        result = result_data if result.equal?(NOT_GIVEN)
        raise ArgumentError, 'success needs result: (or result_data:)' if result.equal?(NOT_GIVEN)

        Result.success(result: result, metadata: metadata)
      end

      # A failed step, retried (up to the step's attempts) only if retryable. retry_after (seconds)
      # overrides the step's backoff; error_code and metadata are recorded with the failure.
      def failure(message:, error_type: 'UnexpectedError', retryable: false, retry_after: nil, error_code: nil,
                  metadata: {})
        Result.failure(message: message, error_type: error_type, retryable: retryable, retry_after: retry_after,
                       error_code: error_code, metadata: metadata)
      end

      # tasker-core's introspection

      # The class's short name in snake_case.
      def handler_name
        self.class.name.to_s.split('::').last.to_s.gsub(/([A-Z])/, '_\1').downcase.delete_prefix('_')
      end

      def capabilities
        ['process']
      end

      def config_schema
        { type: 'object', properties: {}, additionalProperties: true }
      end

      def validate_config(config_hash)
        config_hash.is_a?(Hash)
      end
    end
  end
end
