# frozen_string_literal: true

module TaskerCore
  module Worker
    # Runs step handlers for the execution events the EventBridge publishes, and answers each
    # with exactly one completion: whatever the handler returns or raises becomes a success or a
    # failure, never silence.
    #
    # A new handler instance runs each step. Steps run in parallel on the Java bridge's handler
    # threads, except for handler classes that declared `serial!`, which run one at a time.
    class StepExecutionSubscriber
      BACKTRACE_LINES = 10

      attr_reader :logger

      def initialize(handler_registry: Registry::HandlerRegistry.instance,
                     event_bridge: EventBridge.instance,
                     logger: TaskerCore.logger)
        @handler_registry = handler_registry
        @event_bridge = event_bridge
        @logger = logger
        @subscription = nil
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
        if klass.respond_to?(:serial?) && klass.serial?
          klass.serial_lock.synchronize { klass.new.call(step) }
        else
          klass.new.call(step)
        end
      rescue Exception => e
        logger.debug { "#{klass.name} raised #{e.class}: #{e.message}" }
        from_exception(e)
      end

      def not_found(step)
        StepHandler::Result.failure(
          message: "no Ruby handler is registered for callable #{step.callable.inspect}",
          error_type: 'HandlerNotFound', retryable: false
        )
      end

      # An Errors::Error is raised on purpose, its message written for whoever reads the failed
      # step (as a Java handler's exception message is); anything else also says what it was.
      def from_exception(error)
        StepHandler::Result.failure(
          message: error.is_a?(Errors::Error) ? error.message : "#{error.class.name}: #{error.message}",
          error_type: error.respond_to?(:error_type) ? error.error_type : error.class.name,
          retryable: !error.is_a?(Errors::PermanentError),
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
        details
      end

      def completion(event, outcome, metadata)
        outcome = StepHandler::Result.success(result: outcome) unless outcome.is_a?(StepHandler::Result)
        completion = {
          event_id: event[:event_id],
          task_uuid: event[:task_uuid],
          step_uuid: event[:step_uuid],
          success: outcome.success? ? true : false,
          metadata: outcome.metadata.is_a?(Hash) ? metadata.merge(outcome.metadata) : metadata
        }
        return completion.merge(result: outcome.result) if outcome.success?

        completion.merge(
          error_message: outcome.error_message.to_s,
          error_type: outcome.error_type&.to_s,
          retryable: outcome.retryable ? true : false,
          retry_after: outcome.retry_after,
          error_details: outcome.error_details
        )
      end

      def monotonic_now
        Process.clock_gettime(Process::CLOCK_MONOTONIC)
      end
    end
  end
end
