# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagProcessRightHandler < TaskerCore::StepHandler::Base
      def call(context)
        success(result: context.get_dependency_result('dag_init') + context.get_input_or('offset', 5))
      end
    end
  end
end
