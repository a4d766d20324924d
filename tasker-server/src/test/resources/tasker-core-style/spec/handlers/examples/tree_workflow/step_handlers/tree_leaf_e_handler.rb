# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeLeafEHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        TaskerCore::Types::StepHandlerCallResult.success(result: sequence.get_results('tree_branch_left') + 10)
      end
    end
  end
end
