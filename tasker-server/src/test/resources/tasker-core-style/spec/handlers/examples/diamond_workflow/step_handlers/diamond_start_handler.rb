# frozen_string_literal: true

module DiamondWorkflow
  module StepHandlers
    class DiamondStartHandler < TaskerCore::StepHandler::Base
      def call(context)
        number = context.task.context['number']
        raise TaskerCore::Errors::PermanentError.new('number is required', error_code: 'MISSING_NUMBER') if number.nil?

        logger.info "Diamond start for task #{context.task_uuid}, step #{context.step_uuid}: #{number}²"
        TaskerCore::Types::StepHandlerCallResult.success(result: number * number, metadata: { operation: 'square' })
      end
    end
  end
end
