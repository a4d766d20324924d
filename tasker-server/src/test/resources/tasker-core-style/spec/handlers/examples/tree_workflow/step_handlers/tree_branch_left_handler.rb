# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeBranchLeftHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        TaskerCore::Types::StepHandlerCallResult.success(result: sequence.get_results('tree_root') + 1)
      end
    end
  end
end
