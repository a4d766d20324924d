# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeRootHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        logger.info "#{step.step_name}: starting the tree for task #{task.task_uuid}"
        TaskerCore::Types::StepHandlerCallResult.success(result: task.context['number'], metadata: { level: 0 })
      end
    end
  end
end
