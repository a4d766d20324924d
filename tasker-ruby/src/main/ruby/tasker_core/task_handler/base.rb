# frozen_string_literal: true

module TaskerCore
  module TaskHandler
    # tasker-core's task-level handler. Here the foundation runs the whole task from its template,
    # so subclasses load (they are often next to the step handlers) but are never called.
    class Base
      attr_reader :task_config

      def initialize(task_config_path: nil, task_config: nil)
        @task_config_path = task_config_path
        @task_config = task_config || {}
      end

      def logger
        TaskerCore::Logger.instance
      end

      def metadata
        { handler_class: self.class.name }
      end

      def handle(*)
        raise NotImplementedError, "#{self.class.name}: task handlers do not run in this worker; " \
                                   'the template drives the task'
      end

      def initialize_task(_task_request)
        raise NotImplementedError, "#{self.class.name}: tasks are created through the API, not by task handlers"
      end
    end
  end
end
