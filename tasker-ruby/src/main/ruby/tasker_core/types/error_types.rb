# frozen_string_literal: true

module TaskerCore
  module Types
    # tasker-core's standard error_type names for failure(...).
    module ErrorTypes
      PERMANENT_ERROR = 'PermanentError'
      RETRYABLE_ERROR = 'RetryableError'
      VALIDATION_ERROR = 'ValidationError'
      UNEXPECTED_ERROR = 'UnexpectedError'
      STEP_COMPLETION_ERROR = 'StepCompletionError'
      ALL = [PERMANENT_ERROR, RETRYABLE_ERROR, VALIDATION_ERROR, UNEXPECTED_ERROR, STEP_COMPLETION_ERROR].freeze

      def self.valid?(error_type)
        ALL.include?(error_type)
      end

      def self.typically_retryable?(error_type)
        [RETRYABLE_ERROR, UNEXPECTED_ERROR].include?(error_type)
      end

      def self.typically_permanent?(error_type)
        [PERMANENT_ERROR, VALIDATION_ERROR].include?(error_type)
      end
    end
  end
end
