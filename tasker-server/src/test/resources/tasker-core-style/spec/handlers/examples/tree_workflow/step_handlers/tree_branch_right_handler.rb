# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeBranchRightHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        TaskerCore::Types::StepHandlerCallResult.success(result: sequence.get_results('tree_root') * 2)
      end
    end
  end
end
