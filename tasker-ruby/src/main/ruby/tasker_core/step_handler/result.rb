# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # What StepHandler::Base#success and #failure return (a Result::Success or a Result::Failure).
    # A handler may also return a plain value (usually a Hash), which counts as a success with that
    # result. tasker-core's TaskerCore::Types::StepHandlerCallResult builds these too.
    Result = Data.define(:success, :result, :metadata, :error_message, :error_type, :retryable, :retry_after,
                         :error_details, :error_code) do
      def self.success(result:, metadata: {})
        Result::Success.new(success: true, result: result, metadata: metadata || {}, error_message: nil,
                            error_type: nil, retryable: false, retry_after: nil, error_details: nil, error_code: nil)
      end

      def self.failure(message:, error_type:, retryable:, retry_after: nil, error_details: nil, metadata: {},
                       error_code: nil)
        Result::Failure.new(success: false, result: nil, metadata: metadata || {}, error_message: message,
                            error_type: error_type, retryable: retryable, retry_after: retry_after,
                            error_details: error_details, error_code: error_code)
      end

      def success?
        success
      end

      # tasker-core's name for error_message.
      def message
        error_message
      end

      # Whether this is a batch checkpoint rather than a final outcome; see StepHandlerCallResult.
      def checkpoint?
        false
      end
    end

    class Result
      # tasker-core's StepHandlerCallResult::Success.
      class Success < Result; end

      # tasker-core's StepHandlerCallResult::Error.
      class Failure < Result; end
    end
  end
end
