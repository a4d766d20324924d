# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagProcessLeftHandler < TaskerCore::StepHandler::Base
      def call(context)
        success(result: context.get_dependency_result('dag_init') * 2)
      end
    end
  end
end
