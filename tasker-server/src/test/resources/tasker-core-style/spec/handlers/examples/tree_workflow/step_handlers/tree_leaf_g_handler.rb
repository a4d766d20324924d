# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeLeafGHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        right = sequence.get_results('tree_branch_right')
        TaskerCore::Types::StepHandlerCallResult.success(result: right * right)
      end
    end
  end
end
