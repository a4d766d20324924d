# frozen_string_literal: true

module TaskerCore
  module Errors
    # Raised into a handler that runs past its step's timeout_seconds. Retryable: a slow
    # dependency may well be faster next time.
    class StepTimeoutError < RetryableError
      def error_type
        'Timeout'
      end
    end
  end
end
