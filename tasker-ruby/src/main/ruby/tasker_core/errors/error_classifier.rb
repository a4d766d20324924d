# frozen_string_literal: true

module TaskerCore
  module Errors
    # Whether a step whose handler raised an error is retried, as tasker-core's Ruby worker
    # decides it: these classes never are, everything else is (until the step's attempts run out).
    class ErrorClassifier
      PERMANENT_ERROR_CLASSES = [ConfigurationError, PermanentError, DatabaseError, FFIError].freeze

      # Listed for completeness: anything not permanent is retried anyway.
      RETRYABLE_ERROR_CLASSES = [RetryableError, NetworkError, TimeoutError].freeze

      def self.retryable?(error)
        PERMANENT_ERROR_CLASSES.none? { |klass| error.is_a?(klass) }
      end
    end
  end
end
