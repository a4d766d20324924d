# frozen_string_literal: true

module DiamondWorkflow
  module StepHandlers
    class DiamondEndHandler < TaskerCore::StepHandler::Base
      def call(context)
        b = context.get_dependency_result('diamond_branch_b')
        c = context.get_dependency_result('diamond_branch_c')
        TaskerCore::Types::StepHandlerCallResult.success(
          result: { product: b * c, branches: { b: b, c: c }, step: context.step_name, attempt: context.retry_count },
          metadata: { dependencies: context.dependency_results.keys.sort }
        )
      end
    end
  end
end
