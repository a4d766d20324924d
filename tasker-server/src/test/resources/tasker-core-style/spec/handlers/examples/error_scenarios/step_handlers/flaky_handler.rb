# frozen_string_literal: true

module ErrorScenarios
  # 2025 generation: fails its first attempt with a retryable error, then succeeds.
  class FlakyHandler < TaskerCore::StepHandler::Base
    def call(task, _sequence, step)
      if step.attempts.to_i.zero?
        raise TaskerCore::Errors::RetryableError.new('warming up', retry_after: 1, context: { task: task.task_uuid })
      end

      TaskerCore::Types::StepHandlerCallResult.success(result: { recovered_after: step.attempts })
    end
  end
end
