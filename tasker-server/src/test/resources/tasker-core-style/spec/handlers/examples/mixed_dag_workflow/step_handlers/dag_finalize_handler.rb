# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagFinalizeHandler < TaskerCore::StepHandler::Base
      def call(context)
        parts = %w[dag_analyze dag_transform dag_process_right].map { |name| context.get_dependency_result(name) }
        success(result: { final: parts.sum, parts: parts })
      end
    end
  end
end
