# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagValidateHandler < TaskerCore::StepHandler::Base
      def call(context)
        left = context.get_dependency_result('dag_process_left')
        right = context.get_dependency_result('dag_process_right')
        success(result: { total: left + right, valid: true })
      end
    end
  end
end
