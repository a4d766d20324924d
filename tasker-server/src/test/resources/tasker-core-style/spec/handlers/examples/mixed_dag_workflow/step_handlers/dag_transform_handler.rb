# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagTransformHandler < TaskerCore::StepHandler::Base
      def call(context)
        left = context.get_dependency_result('dag_process_left')
        success(result: left * left)
      end
    end
  end
end
