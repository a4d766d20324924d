# frozen_string_literal: true

module TaskerTest
  # Builds execution events shaped as the Java bridge builds them (see RubyConversions), for
  # tests that run the Ruby layer without the Java foundation.
  module StepEvents
    module_function

    # inputs: the handler's initialization; step_inputs: the step's own (a batch worker's cursor).
    def task_sequence_step(callable:, step_name: 'step', context: {}, inputs: {}, dependency_results: {},
                           attempt: 1, max_attempts: 3, timeout_seconds: 30, namespace: 'test', step_inputs: {},
                           checkpoint: nil)
      {
        task_uuid: SecureRandom.uuid,
        step_uuid: SecureRandom.uuid,
        namespace: namespace,
        task_name: 'test_task',
        task_version: '1.0.0',
        task_context: context,
        step_definition: {
          name: step_name,
          callable: callable,
          initialization: inputs,
          depends_on: dependency_results.keys,
          retry: { retryable: true, max_attempts: max_attempts, backoff_base_ms: 1000, max_backoff_ms: 30_000 },
          timeout_seconds: timeout_seconds
        },
        dependency_results: dependency_results,
        attempt: attempt,
        max_attempts: max_attempts,
        inputs: step_inputs,
        checkpoint: checkpoint
      }
    end

    # The hash Java passes to EventBridge#publish_step_execution.
    def execution_event(**options)
      step = task_sequence_step(**options)
      { event_id: SecureRandom.uuid, task_uuid: step[:task_uuid], step_uuid: step[:step_uuid], task_sequence_step: step }
    end

    # The event as EventBridge hands it to subscribers: the step wrapped.
    def wrapped_event(**options)
      event = execution_event(**options)
      event.merge(task_sequence_step: TaskerCore::TaskSequenceStepWrapper.new(event[:task_sequence_step]))
    end
  end
end
