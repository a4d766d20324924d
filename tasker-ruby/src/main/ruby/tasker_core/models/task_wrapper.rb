# frozen_string_literal: true

module TaskerCore
  module Models
    # The task a step belongs to, as tasker-core's handlers see it: context.task, or the task of
    # a call(task, sequence, step) handler.
    class TaskWrapper
      attr_reader :task_uuid, :context, :namespace_name, :task_name, :task_version

      def initialize(step)
        @task_uuid = step.task_uuid
        @context = step.task_context
        @namespace_name = step.namespace
        @task_name = step.task_name
        @task_version = step.task_version
      end

      alias namespace namespace_name
      alias name task_name
      alias version task_version
    end
  end
end
