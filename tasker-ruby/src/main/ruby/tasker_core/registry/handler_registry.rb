# frozen_string_literal: true

module TaskerCore
  module Registry
    # Maps template callables to Ruby handler classes. The Java bridge asks it which steps this
    # worker's Ruby side can run, and the StepExecutionSubscriber asks it for the class to run.
    #
    # A callable that was never registered but names a loaded StepHandler::Base subclass
    # ("Billing::ChargeCard") resolves to that class, so defining a handler is enough; and
    # #handlers, which the worker's claim filter reads, registers classes defined since it last
    # looked, so their steps are claimed without a restart.
    class HandlerRegistry
      include Singleton

      CONSTANT_PATH = /\A(?:::)?[A-Z]\w*(?:::[A-Z]\w*)*\z/
      private_constant :CONSTANT_PATH

      def initialize
        @lock = Mutex.new
        @handlers = {}.freeze
        @seen_definitions = nil
      end

      # Registers every loaded named subclass of StepHandler::Base under its callable;
      # returns how many handlers are registered in all.
      def bootstrap_handlers!
        # Read before registering: a class defined meanwhile moves the count on, and is registered next time.
        @seen_definitions = StepHandler::Base.definitions
        StepHandler::Base.handler_classes.each { |klass| register(klass.callable, klass) }
        @handlers.size
      end

      # Registers klass to run steps whose callable is callable. Re-registering replaces.
      def register(callable, klass)
        callable = callable.to_s
        raise ArgumentError, 'callable must not be empty' if callable.empty?
        unless klass.is_a?(Class) && klass.method_defined?(:call)
          raise ArgumentError, "#{klass.inspect} is not a handler class (a Class whose instances respond to call)"
        end

        @lock.synchronize { @handlers = @handlers.merge(callable => klass).freeze }
        klass
      end

      def unregister(callable)
        @lock.synchronize { @handlers = @handlers.except(callable.to_s).freeze }
        nil
      end

      # The handler class for callable, or nil.
      def resolve(callable)
        callable = callable.to_s
        @handlers[callable] || resolve_constant(callable)
      end

      def registered?(callable)
        !resolve(callable).nil?
      end

      # Callable => handler class, with every handler class defined so far registered.
      def handlers
        bootstrap_handlers! unless @seen_definitions == StepHandler::Base.definitions
        @handlers
      end

      def registered_handlers
        @handlers.values.uniq
      end

      # The namespaces the registered handler classes declare.
      def namespaces
        registered_handlers.filter_map { |klass| klass.namespace if klass.respond_to?(:namespace) }.uniq
      end

      private

      def resolve_constant(callable)
        return nil unless CONSTANT_PATH.match?(callable) && Object.const_defined?(callable)

        klass = Object.const_get(callable)
        return nil unless klass.is_a?(Class) && klass < StepHandler::Base

        register(callable, klass)
      rescue NameError
        nil
      end
    end
  end
end
