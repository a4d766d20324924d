# frozen_string_literal: true

module MixedDagWorkflow
  module StepHandlers
    class DagInitHandler < TaskerCore::StepHandler::Base
      def call(context)
        success(result: context.get_input('number'))
      end
    end
  end
end
