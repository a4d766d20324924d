# frozen_string_literal: true

module TaskerCore
  # tasker-core's polling calls, next to the Java-defined ones. Its worker polls for steps
  # (poll_step_events) and answers each with complete_step_event. Here the foundation hands every
  # step it claims straight to the EventBridge, which runs it at once, so there is never a step
  # waiting to be polled.
  module FFI
    class << self
      # nil: no step is ever waiting (see above). Raises RuntimeError when no worker runs, as
      # tasker-core's does.
      def poll_step_events
        raise 'Worker system not running' unless worker_status[:running]

        nil
      end

      # Sends a completion in tasker-core's shape (String or Symbol keys; error as error_message or
      # error: { message:, error_type:, retryable: }; retryable also read from metadata) as
      # send_step_completion_event does; returns whether the foundation took it.
      def complete_step_event(event_id, completion)
        raise ArgumentError, "completion must be a Hash, got #{completion.class}" unless completion.is_a?(Hash)

        send_step_completion_event(StepEventCompletion.from_tasker_core(event_id, completion))
      end
    end

    # tasker-core's completion Hash as this worker's.
    module StepEventCompletion
      def self.from_tasker_core(event_id, data)
        data = IndifferentHash.wrap(data)
        metadata = data[:metadata].is_a?(Hash) ? data[:metadata] : {}
        completion = { event_id: event_id.to_s, task_uuid: data[:task_uuid], step_uuid: data[:step_uuid],
                       success: data[:success] == true, metadata: metadata }
        return completion.merge(result: data[:result]) if completion[:success]

        error = data[:error].is_a?(Hash) ? data[:error] : {}
        completion.merge(
          error_message: (data[:error_message] || error[:message] || 'the handler reported a failure').to_s,
          error_type: (data[:error_type] || error[:error_type] || metadata.dig(:custom, :error_type) ||
                       'UnexpectedError').to_s,
          retryable: [data[:retryable], error[:retryable], metadata[:retryable]].find { |v| v == true || v == false } ||
                     false,
          error_details: error.empty? ? nil : error
        )
      end
    end
  end
end
