# frozen_string_literal: true

module DiamondWorkflow
  module StepHandlers
    class DiamondBranchCHandler < TaskerCore::StepHandler::Base
      def call(context)
        start = context.get_dependency_result(:diamond_start)
        factor = context.get_config('factor') || config['factor']
        success(result: start * factor, metadata: { branch: 'c', factor: factor })
      end
    end
  end
end
