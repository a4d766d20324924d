# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeLeafDHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        TaskerCore::Types::StepHandlerCallResult.success(result: sequence.get_results('tree_branch_left') * 3)
      end
    end
  end
end
