# frozen_string_literal: true

module ErrorScenarios
  # Fails every time with a retryable error that asks for a retry one second later.
  class RetryableErrorHandler < TaskerCore::StepHandler::Base
    def call(context)
      raise TaskerCore::Errors::RetryableError.new(
        "Payment service timeout (attempt #{context.retry_count + 1})",
        retry_after: 1,
        context: { error_code: 'SERVICE_TIMEOUT', service: 'payment_gateway', retry_count: context.retry_count }
      )
    end
  end
end
