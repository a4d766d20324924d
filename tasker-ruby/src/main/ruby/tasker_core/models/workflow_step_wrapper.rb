# frozen_string_literal: true

module TaskerCore
  module Models
    # The step being run, as tasker-core's handlers see it: context.workflow_step, or the step of a
    # call(task, sequence, step) handler.
    #
    # attempts counts the attempts before this one, as tasker-core's does (0 on the first run); the
    # step context's own #attempts counts this one too. inputs are the step's own (a batch
    # worker's cursor range; empty for most steps) and checkpoint its last saved one (nil when
    # none). A step has no stored results before it completes: results start empty (they may be
    # written to, as tasker-core's handlers sometimes do).
    class WorkflowStepWrapper
      attr_reader :workflow_step_uuid, :task_uuid, :name, :retryable, :max_attempts, :attempts, :inputs, :results,
                  :checkpoint

      def initialize(step)
        @workflow_step_uuid = step.step_uuid
        @task_uuid = step.task_uuid
        @name = step.step_name
        @retryable = step.retryable?
        @max_attempts = step.max_attempts
        @attempts = step.retry_count
        @inputs = step.input_data
        @checkpoint = step.checkpoint
        @results = IndifferentHash.new
      end

      alias step_uuid workflow_step_uuid
      alias step_name name

      def in_process
        true
      end

      def processed
        false
      end

      def skippable
        false
      end

      def named_step_uuid = nil
      def processed_at = nil
      def last_attempted_at = nil
      def backoff_request_seconds = nil
      def created_at = nil
      def updated_at = nil
    end
  end
end
