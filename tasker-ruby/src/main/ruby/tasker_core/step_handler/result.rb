# frozen_string_literal: true

module TaskerCore
  module StepHandler
    # What StepHandler::Base#success and #failure return. A handler may also return a plain
    # value (usually a Hash), which counts as a success with that result.
    Result = Data.define(:success, :result, :metadata, :error_message, :error_type, :retryable, :retry_after,
                         :error_details) do
      def self.success(result:, metadata: {})
        new(success: true, result: result, metadata: metadata, error_message: nil, error_type: nil,
            retryable: false, retry_after: nil, error_details: nil)
      end

      def self.failure(message:, error_type:, retryable:, retry_after: nil, error_details: nil, metadata: {})
        new(success: false, result: nil, metadata: metadata, error_message: message, error_type: error_type,
            retryable: retryable, retry_after: retry_after, error_details: error_details)
      end

      def success?
        success
      end
    end
  end
end
