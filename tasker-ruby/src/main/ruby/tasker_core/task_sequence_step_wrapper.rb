# frozen_string_literal: true

module TaskerCore
  # What a step handler's call(context) receives: one step of one task, with the task's context,
  # the step's inputs (its handler initialization from the template) and the results of every
  # ancestor step. User data (context, inputs, results) is Hashes with String keys, exactly as
  # the JSON was.
  class TaskSequenceStepWrapper
    attr_reader :task_uuid, :step_uuid, :namespace, :task_name, :task_version,
                :task_context, :dependency_results, :attempts, :max_attempts

    def initialize(task_sequence_step)
      raise ArgumentError, 'task_sequence_step must be a Hash' unless task_sequence_step.is_a?(Hash)

      @data = task_sequence_step
      @task_uuid = task_sequence_step.fetch(:task_uuid)
      @step_uuid = task_sequence_step.fetch(:step_uuid)
      @namespace = task_sequence_step[:namespace]
      @task_name = task_sequence_step[:task_name]
      @task_version = task_sequence_step[:task_version]
      @task_context = task_sequence_step[:task_context] || {}
      @step_definition = task_sequence_step[:step_definition] || {}
      @dependency_results = task_sequence_step[:dependency_results] || {}
      @attempts = task_sequence_step.fetch(:attempt, 1)
      @max_attempts = task_sequence_step.fetch(:max_attempts, 1)
    end

    def step_name
      @step_definition[:name]
    end

    # The template's handler callable that chose the handler class.
    def callable
      @step_definition[:callable]
    end

    # The step's handler initialization from the template.
    def step_inputs
      @step_definition[:initialization] || {}
    end

    # The result of any ancestor step (not only direct parents), or nil when there is none.
    def dependency_result(step_name)
      @dependency_results[step_name.to_s]
    end

    def depends_on
      @step_definition[:depends_on] || []
    end

    def timeout_seconds
      @step_definition[:timeout_seconds]
    end

    def retry_policy
      @step_definition[:retry] || {}
    end

    def first_attempt?
      attempts == 1
    end

    def last_attempt?
      attempts >= max_attempts
    end

    # The Symbol-keyed Hash this wraps.
    def to_h
      @data
    end

    def inspect
      "#<#{self.class.name} #{namespace}/#{task_name} step=#{step_name} attempt=#{attempts}/#{max_attempts}>"
    end
  end
end
