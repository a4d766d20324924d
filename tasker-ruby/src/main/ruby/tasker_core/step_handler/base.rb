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
    # Every step gets a new instance, but instances of one class run in parallel on several
    # threads. A class whose code is not thread-safe (shared state, a client that is not) says
    # `serial!`, and its steps then run one at a time.
    class Base
      SERIAL_LOCKS_GUARD = Mutex.new
      DEFINITIONS_GUARD = Mutex.new
      private_constant :SERIAL_LOCKS_GUARD, :DEFINITIONS_GUARD

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

        # Every loaded named subclass, at any depth.
        def handler_classes
          subclasses.flat_map { |klass| [klass, *klass.handler_classes] }.select(&:name).uniq
        end
      end

      # Runs the step; returns success(...), failure(...) or a plain result value, or raises.
      def call(_context)
        raise NotImplementedError, "#{self.class.name} must implement call(context)"
      end

      def success(result:, metadata: {})
        Result.success(result: result, metadata: metadata)
      end

      def failure(message:, error_type:, retryable:, retry_after: nil)
        Result.failure(message: message, error_type: error_type, retryable: retryable, retry_after: retry_after)
      end
    end
  end
end
