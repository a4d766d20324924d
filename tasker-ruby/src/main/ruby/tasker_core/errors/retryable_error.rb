# frozen_string_literal: true

module TaskerCore
  module Errors
    # A failure worth retrying. retry_after (seconds) overrides the step's backoff for this retry.
    #
    #   raise TaskerCore::Errors::RetryableError.new('gateway busy', retry_after: 30, context: { gateway: 'acme' })
    class RetryableError < ProceduralError
      records :retry_after, detail: false
    end
  end
end
