# frozen_string_literal: true

module TreeWorkflow
  module StepHandlers
    class TreeFinalConvergenceHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, step)
        leaves = %w[tree_leaf_d tree_leaf_e tree_leaf_f tree_leaf_g].to_h { |name| [name, sequence.get_results(name)] }
        raise TaskerCore::Errors::PermanentError.new('a leaf has no result', context: { leaves: leaves }) if leaves.value?(nil)

        TaskerCore::Types::StepHandlerCallResult.success(
          result: { sum: leaves.values.sum, leaves: leaves, root: task.context[:number] },
          metadata: { step_type: 'convergence', step: step.name }
        )
      end
    end
  end
end
