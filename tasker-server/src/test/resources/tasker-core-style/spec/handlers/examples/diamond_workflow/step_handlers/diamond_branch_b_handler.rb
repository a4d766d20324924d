# frozen_string_literal: true

module DiamondWorkflow
  module StepHandlers
    class DiamondBranchBHandler < TaskerCore::StepHandler::Base
      def call(context)
        start = context.get_dependency_result('diamond_start')
        success(result: start + 1, metadata: { branch: 'b' })
      end
    end
  end
end
