# frozen_string_literal: true

module TaskerCore
  module Errors
    # Raised into a handler the worker gave up on: its claim was lost, the foundation's timeout
    # passed, or the worker is stopping. Its completion is ignored; the step runs again elsewhere.
    class StepCancelledError < RetryableError
      def error_type
        'Cancelled'
      end
    end
  end
end
