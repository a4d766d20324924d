# frozen_string_literal: true

module TaskerCore
  module Worker
    # The meeting point of the Java foundation and the Ruby handlers.
    #
    # The Java bridge calls publish_step_execution on one of its handler threads for every step
    # this worker runs in Ruby; the StepExecutionSubscriber listening to 'step.execution.received'
    # runs the handler on that same thread and answers with publish_step_completion, which
    # validates the completion and hands it to TaskerCore::FFI.send_step_completion_event.
    #
    # Listeners run synchronously: a step's completion must be sent before publish_step_execution
    # returns. The Java side relies on that to fail, rather than lose, a step that got no answer.
    #
    # Events: 'step.execution.received' (the wrapped execution event), 'step.completion.sent'
    # (the completion hash) and 'bridge.error' ({ error:, operation:, event_id: }).
    class EventBridge
      include Singleton
      include Events::Publisher

      STEP_EXECUTION_RECEIVED = 'step.execution.received'
      STEP_COMPLETION_SENT = 'step.completion.sent'
      BRIDGE_ERROR = 'bridge.error'
      REQUIRED_COMPLETION_FIELDS = %i[event_id task_uuid step_uuid success].freeze

      attr_reader :logger

      def initialize
        @logger = TaskerCore.logger
        @active = true
        register_event(STEP_EXECUTION_RECEIVED)
        register_event(STEP_COMPLETION_SENT)
        register_event(BRIDGE_ERROR)
      end

      def active?
        @active
      end

      # Accepts step executions again after stop!.
      def start!
        @active = true
        self
      end

      # Stops accepting step executions. Completions still go through, so a step that finishes
      # while the worker shuts down is recorded, not thrown away.
      def stop!
        @active = false
        logger.info 'Event bridge stopped'
        self
      end

      # Entry point for step executions from Java. Returns the wrapped event, or nil when stopped.
      def publish_step_execution(event_data)
        return nil unless active?

        wrapped = wrap_step_execution_event(event_data)
        logger.debug { "Step execution received: #{wrapped[:event_id]} #{wrapped[:task_sequence_step].inspect}" }
        publish(STEP_EXECUTION_RECEIVED, wrapped)
        wrapped
      rescue StandardError => e
        report_error(e, :publish_step_execution, event_data.is_a?(Hash) ? event_data[:event_id] : nil)
        raise
      end

      # Calls the block with each wrapped step execution event; returns a Subscription.
      def subscribe_to_step_execution(&block)
        subscribe(STEP_EXECUTION_RECEIVED, &block)
      end

      # Sends a step's completion to Java. Raises ArgumentError when a required field is missing.
      def publish_step_completion(completion_data)
        validate_completion!(completion_data)
        logger.debug { "Sending step completion: #{completion_data[:event_id]} success=#{completion_data[:success]}" }
        begin
          TaskerCore::FFI.send_step_completion_event(completion_data)
        rescue StandardError => e
          report_error(e, :send_step_completion_event, completion_data[:event_id])
          raise
        end
        notify_completion_sent(completion_data)
        completion_data
      end

      private

      def wrap_step_execution_event(event_data)
        {
          event_id: event_data.fetch(:event_id),
          task_uuid: event_data.fetch(:task_uuid),
          step_uuid: event_data.fetch(:step_uuid),
          task_sequence_step: TaskSequenceStepWrapper.new(event_data.fetch(:task_sequence_step))
        }
      end

      def validate_completion!(completion_data)
        raise ArgumentError, "completion must be a Hash, got #{completion_data.class}" unless completion_data.is_a?(Hash)

        missing = REQUIRED_COMPLETION_FIELDS - completion_data.keys
        raise ArgumentError, "Missing required fields in completion: #{missing.join(', ')}" if missing.any?

        completion_data[:metadata] ||= {}
        completion_data[:completed_at] ||= Time.now.utc.iso8601(6)
      end

      # A monitoring listener that fails must not undo a completion already sent.
      def notify_completion_sent(completion_data)
        publish(STEP_COMPLETION_SENT, completion_data)
      rescue StandardError => e
        report_error(e, :step_completion_sent_listener, completion_data[:event_id])
      end

      def report_error(error, operation, event_id)
        logger.error "#{operation} failed for event #{event_id.inspect}: #{error.class}: #{error.message}"
        logger.debug { Array(error.backtrace).first(20).join("\n") }
        publish(BRIDGE_ERROR, { error: error, operation: operation, event_id: event_id })
      rescue StandardError => e
        logger.error "bridge.error listener failed: #{e.class}: #{e.message}"
      end
    end
  end
end
