# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeLeafFHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        TaskerCore::Types::StepHandlerCallResult.success(result: sequence.get_results('tree_branch_right') - 1)
      end
    end
  end
end
