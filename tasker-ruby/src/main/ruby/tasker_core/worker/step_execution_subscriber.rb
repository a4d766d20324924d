# frozen_string_literal: true

module TaskerCore
  module Worker
    # Runs step handlers for the execution events the EventBridge publishes, and answers each
    # with exactly one completion: whatever the handler returns or raises becomes a success or a
    # failure, never silence.
    #
    # A new handler instance runs each step, made with config: (the template's handler
    # initialization) when its initialize takes that keyword. It is called the way it is written:
    # the method the template names (handler.method), else call; with (task, sequence, step) when
    # that method takes three arguments (tasker-core's first handler generation), else with the
    # step context. Steps run in parallel on the Java bridge's handler threads, except for handler
    # classes that declared `serial!`, which run one at a time.
    class StepExecutionSubscriber
      BACKTRACE_LINES = 10
      CONTEXT_DEPTH = 16

      # How a handler class is made for a step (see #instantiate) and whether the method takes
      # (task, sequence, step).
      Invocation = Data.define(:construction, :three_arguments)
      private_constant :Invocation

      attr_reader :logger

      def initialize(handler_registry: Registry::HandlerRegistry.instance,
                     event_bridge: EventBridge.instance,
                     logger: TaskerCore.logger)
        @handler_registry = handler_registry
        @event_bridge = event_bridge
        @logger = logger
        @subscription = nil
        @call_invocations = {}.freeze
        @invocations = {}.freeze
        @invocations_lock = Mutex.new
      end

      # Starts listening to step executions; idempotent.
      def start!
        @subscription ||= @event_bridge.subscribe_to_step_execution { |event| call(event) }
        self
      end

      def active?
        !@subscription.nil?
      end

      def stop!
        @subscription&.unsubscribe
        @subscription = nil
        self
      end

      # Runs the event's step and publishes its completion.
      def call(event)
        @event_bridge.publish_step_completion(execute(event))
      end

      # Runs the event's step; returns the completion hash without sending it.
      def execute(event)
        step = event.fetch(:task_sequence_step)
        started = monotonic_now
        klass = @handler_registry.resolve(step.callable)
        outcome = klass ? run_handler(klass, step) : not_found(step)
        metadata = {
          'handler' => klass&.name,
          'duration_ms' => ((monotonic_now - started) * 1000).round(3),
          'attempt' => step.attempts
        }
        completion(event, outcome, metadata)
      end

      private

      # Rescues Exception, not only StandardError: NotImplementedError, a stack overflow or an
      # `exit` in a handler must fail its step, not escape into the worker. The step's timeout is
      # the foundation's: past it, the bridge raises Errors::StepCancelledError in here.
      def run_handler(klass, step)
        method_name = step.handler_method
        method_name = method_name.nil? || method_name.empty? ? :call : method_name.to_sym
        if klass.respond_to?(:serial?) && klass.serial?
          klass.serial_lock.synchronize { invoke(klass, method_name, step) }
        else
          invoke(klass, method_name, step)
        end
      rescue Exception => e
        logger.debug { "#{klass.name} raised #{e.class}: #{e.message}" }
        from_exception(e)
      end

      def invoke(klass, method_name, step)
        invocation = invocation(klass, method_name)
        return method_not_found(klass, method_name) unless invocation

        handler = instantiate(klass, invocation.construction, step.step_inputs)
        if invocation.three_arguments
          handler.public_send(method_name, step.task, step.dependency_results, step.workflow_step)
        elsif method_name == :call
          handler.call(step)
        else
          handler.public_send(method_name, step)
        end
      end

      # Base's own initialize takes config positionally too, which spares every step a keyword
      # call; a class with an initialize of its own gets config: if it takes it.
      def instantiate(klass, construction, config)
        case construction
        when :base then klass.new(config)
        when :config then klass.new(config: config)
        else klass.new
        end
      end

      # How to make and call klass for method_name, or nil when it has no such public method. Read
      # from the class once, then kept in copy-on-write Hashes that steps read without a lock; call,
      # which nearly every step uses, has its own.
      def invocation(klass, method_name)
        known = method_name == :call ? @call_invocations[klass] : @invocations[klass]&.[](method_name)
        return known if known
        return nil unless klass.public_method_defined?(method_name)

        @invocations_lock.synchronize do
          required = klass.instance_method(method_name).parameters.count { |type, _| type == :req }
          found = Invocation.new(construction: construction(klass), three_arguments: required == 3)
          if method_name == :call
            @call_invocations = @call_invocations.merge(klass => found).freeze
          else
            by_method = (@invocations[klass] || {}).merge(method_name => found).freeze
            @invocations = @invocations.merge(klass => by_method).freeze
          end
          found
        end
      end

      def construction(klass)
        initialize = klass.instance_method(:initialize)
        return :base if initialize.owner == StepHandler::Base

        takes_config = initialize.parameters.any? do |type, name|
          type == :keyrest || (%i[key keyreq].include?(type) && name == :config)
        end
        takes_config ? :config : :plain
      end

      def not_found(step)
        StepHandler::Result.failure(
          message: "no Ruby handler is registered for callable #{step.callable.inspect}",
          error_type: 'HandlerNotFound', retryable: false
        )
      end

      def method_not_found(klass, method_name)
        StepHandler::Result.failure(
          message: "#{klass.name} has no public method #{method_name} for the template's handler method",
          error_type: 'HandlerMethodNotFound', retryable: false
        )
      end

      # An Errors::Error is raised on purpose, its message written for whoever reads the failed
      # step (as a Java handler's exception message is); anything else also says what it was.
      # Whether it is retried is tasker-core's rule (Errors::ErrorClassifier).
      def from_exception(error)
        StepHandler::Result.failure(
          message: error.is_a?(Errors::Error) ? error.message : "#{error.class.name}: #{error.message}",
          error_type: error.respond_to?(:error_type) ? error.error_type : error.class.name,
          retryable: Errors::ErrorClassifier.retryable?(error),
          retry_after: error.respond_to?(:retry_after) ? error.retry_after : nil,
          error_details: error_details(error)
        )
      end

      def error_details(error)
        details = {
          'exception_class' => error.class.name,
          'message' => error.message.to_s,
          'backtrace' => Array(error.backtrace).first(BACKTRACE_LINES)
        }
        if error.cause
          details['cause'] = { 'exception_class' => error.cause.class.name, 'message' => error.cause.message.to_s }
        end
        details.merge!(json_safe(error.details)) if error.is_a?(Errors::Error)
        details
      end

      # The handler's own metadata wins over ours, whichever kind of key it wrote: tasker-core's
      # handlers often say `handler:` themselves.
      def string_keys(hash)
        hash.transform_keys { |key| key.is_a?(Symbol) ? key.name : key }
      end

      def completion(event, outcome, metadata)
        envelope = { event_id: event[:event_id], task_uuid: event[:task_uuid], step_uuid: event[:step_uuid] }
        return checkpoint(envelope, outcome) if outcome.is_a?(Types::StepHandlerCallResult::CheckpointYield)

        outcome = StepHandler::Result.success(result: outcome) unless outcome.is_a?(StepHandler::Result)
        completion = envelope.merge(
          success: outcome.success? ? true : false,
          metadata: outcome.metadata.is_a?(Hash) ? metadata.merge(string_keys(outcome.metadata)) : metadata
        )
        return completion.merge(result: outcome.result) if outcome.success?

        completion.merge(
          error_message: outcome.error_message.to_s,
          error_type: outcome.error_type&.to_s,
          retryable: outcome.retryable ? true : false,
          retry_after: outcome.retry_after,
          error_details: failure_details(outcome)
        )
      end

      # A failure result's details, with its error_code when it has one.
      def failure_details(outcome)
        return outcome.error_details if outcome.error_code.nil?

        details = outcome.error_details.is_a?(Hash) ? outcome.error_details : {}
        details.merge('error_code' => outcome.error_code.to_s)
      end

      # A batch worker's checkpoint_yield: the foundation saves it and runs the step again from it
      # (with it in the step's checkpoint), at the same attempt.
      def checkpoint(envelope, checkpoint)
        envelope.merge(
          success: false,
          checkpoint: { cursor: checkpoint.cursor, items_processed: checkpoint.items_processed,
                        accumulated_results: checkpoint.accumulated_results }
        )
      end

      # Error context is free-form: whatever JSON cannot carry is written as its to_s, so a
      # failure is recorded as the handler raised it.
      def json_safe(value, depth = 0)
        case value
        when Hash
          return value.to_s if depth >= CONTEXT_DEPTH

          value.to_h { |k, v| [k.is_a?(Symbol) ? k.name : k.to_s, json_safe(v, depth + 1)] }
        when Array
          depth >= CONTEXT_DEPTH ? value.to_s : value.map { |v| json_safe(v, depth + 1) }
        when String then text?(value) ? value : value.inspect
        when Integer, BigDecimal, true, false, nil then value
        when Float then value.finite? ? value : value.to_s
        when Symbol then value.name
        when Time then value.utc.iso8601(6)
        else value.to_s
        end
      end

      def text?(string)
        string.valid_encoding? && (string.ascii_only? || string.encoding != Encoding::BINARY)
      end

      def monotonic_now
        Process.clock_gettime(Process::CLOCK_MONOTONIC)
      end
    end
  end
end
