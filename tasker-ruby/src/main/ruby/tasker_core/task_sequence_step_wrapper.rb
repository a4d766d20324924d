# frozen_string_literal: true

module TaskerCore
  # What a step handler's call(context) receives: one step of one task, with the task's context,
  # the step's inputs (its handler initialization from the template), the results of every
  # ancestor step and, for a batch worker, its own inputs (input_data) and last checkpoint. User
  # data (context, inputs, results) is JSON: IndifferentHashes whose String keys may also be read
  # with Symbols.
  #
  # It is also tasker-core's step context (TaskerCore::Types::StepContext): its accessors are
  # here too (get_input, get_dependency_result, task, workflow_step, retry_count, ...), so handlers
  # written for tasker-core's Ruby worker run unchanged. Where the two disagree, this class keeps
  # its own meaning: step_inputs is the handler's initialization (tasker-core's step_config), and
  # attempts counts this attempt (tasker-core's retry_count does not).
  class TaskSequenceStepWrapper
    attr_reader :task_uuid, :step_uuid, :namespace, :task_name, :task_version,
                :task_context, :step_inputs, :attempts, :max_attempts

    def initialize(task_sequence_step)
      raise ArgumentError, 'task_sequence_step must be a Hash' unless task_sequence_step.is_a?(Hash)

      @data = task_sequence_step
      @task_uuid = task_sequence_step.fetch(:task_uuid)
      @step_uuid = task_sequence_step.fetch(:step_uuid)
      @namespace = task_sequence_step[:namespace]
      @task_name = task_sequence_step[:task_name]
      @task_version = task_sequence_step[:task_version]
      @task_context = IndifferentHash.wrap(task_sequence_step[:task_context] || {})
      @step_definition = task_sequence_step[:step_definition] || {}
      @step_inputs = IndifferentHash.wrap(@step_definition[:initialization] || {})
      @raw_dependency_results = IndifferentHash.wrap(task_sequence_step[:dependency_results] || {})
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

    # The method the template names to call on the handler instead of call (handler.method), or nil.
    def handler_method
      @step_definition[:method]
    end

    # The result of any ancestor step (not only direct parents), or nil when there is none.
    def dependency_result(step_name)
      @raw_dependency_results[step_name.to_s]
    end

    # Step name => result, for every ancestor step.
    def dependency_results
      @dependency_results ||= Models::DependencyResultsWrapper.new.update(@raw_dependency_results)
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

    # tasker-core's step context

    alias context task_context
    alias step_config step_inputs
    alias namespace_name namespace
    alias handler_name callable
    alias get_dependency_result dependency_result
    alias get_results dependency_result

    # A field of the task context.
    def get_input(name)
      task_context[name.to_s]
    end
    alias get_task_field get_input

    def get_input_or(name, default = nil)
      value = get_input(name)
      value.nil? ? default : value
    end

    # A value of the handler's initialization.
    def get_config(key)
      step_inputs[key.to_s]
    end

    # A value inside an ancestor's result: get_dependency_field('fetch', 'items', 0, 'id').
    def get_dependency_field(step_name, *path)
      result = dependency_result(step_name)
      return result if result.nil? || path.empty?

      result.dig(*path)
    end

    # The step's own inputs (tasker-core's workflow_step.inputs): a batch worker's cursor range and
    # batch settings; empty for other steps.
    def input_data
      @input_data ||= IndifferentHash.wrap(@data[:inputs] || {})
    end

    # How many attempts ran before this one: 0 on the first.
    def retry_count
      attempts - 1
    end

    def max_retries
      max_attempts
    end

    def is_retry? # rubocop:disable Naming/PredicateName
      retry_count.positive?
    end

    def is_last_retry? # rubocop:disable Naming/PredicateName
      retry_count >= max_retries - 1
    end

    def retryable?
      retry_policy[:retryable] != false
    end

    # The last checkpoint the step saved (checkpoint_yield): cursor, items_processed,
    # accumulated_results, timestamp and history; nil when none.
    def checkpoint
      return @checkpoint if defined?(@checkpoint)

      @checkpoint = @data[:checkpoint].is_a?(Hash) ? IndifferentHash.wrap(@data[:checkpoint]) : nil
    end

    def checkpoint_cursor = checkpoint&.[](:cursor)
    def accumulated_results = checkpoint&.[](:accumulated_results)

    def checkpoint_items_processed
      checkpoint&.[](:items_processed) || 0
    end

    def has_checkpoint? # rubocop:disable Naming/PredicateName
      !checkpoint_cursor.nil?
    end

    def task
      @task ||= Models::TaskWrapper.new(self)
    end

    def workflow_step
      @workflow_step ||= Models::WorkflowStepWrapper.new(self)
    end

    def step_definition
      @step_definition_wrapper ||= Models::StepDefinitionWrapper.new(self)
    end

    # The Symbol-keyed Hash this wraps.
    def to_h
      @data
    end

    def inspect
      "#<#{self.class.name} #{namespace}/#{task_name} step=#{step_name} attempt=#{attempts}/#{max_attempts}>"
    end
    alias to_s inspect
  end
end
