# frozen_string_literal: true

module NumberChain
  module StepHandlers
    # First link: doubles the task's number.
    class DoubleHandler < TaskerCore::StepHandler::Base
      def call(task, _sequence, step)
        number = task.context['number']
        raise TaskerCore::Errors::PermanentError.new('number must be a positive integer', error_code: 'BAD_NUMBER') unless number.is_a?(Integer) && number.positive?

        logger.info "#{step.name}: #{number} * 2"
        TaskerCore::Types::StepHandlerCallResult.success(
          result: number * 2,
          metadata: { operation: config['operation'], task_uuid: task.task_uuid }
        )
      end
    end
  end
end
