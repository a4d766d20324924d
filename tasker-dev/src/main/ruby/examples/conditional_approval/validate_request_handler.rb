# frozen_string_literal: true

module ConditionalApproval
  module StepHandlers
    # Checks the request: a positive amount, a requester and a purpose.
    class ValidateRequestHandler < TaskerCore::StepHandler::Base
      def call(task, _sequence, _step)
        amount = task.context['amount']
        unless amount.is_a?(Numeric) && amount.positive?
          raise TaskerCore::Errors::PermanentError.new("amount must be a positive number, got #{amount.inspect}",
                                                       error_code: 'INVALID_AMOUNT')
        end
        %w[requester purpose].each do |field|
          raise TaskerCore::Errors::PermanentError, "#{field} is required" if task.context[field].to_s.strip.empty?
        end

        success(result: { validated: true, amount: amount, requester: task.context['requester'] })
      end
    end
  end
end
