# frozen_string_literal: true

module TaskerCore
  module Errors
    # A failure worth retrying. retry_after (seconds) overrides the step's backoff for this retry.
    class RetryableError < Error
      attr_reader :retry_after

      def initialize(message = nil, retry_after: nil)
        super(message)
        @retry_after = retry_after
      end
    end
  end
end
