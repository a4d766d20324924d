# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagAnalyzeHandler < TaskerCore::StepHandler::Base
      def call(context)
        total = context.get_dependency_field('dag_validate', 'total')
        success(result: total * context.get_dependency_result('dag_transform'))
      end
    end
  end
end
