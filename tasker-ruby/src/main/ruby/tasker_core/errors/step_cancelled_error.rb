# frozen_string_literal: true

module TaskerCore
  module Errors
    # Raised into a handler the worker gave up on: the step's timeout passed, its claim was lost,
    # or the worker is stopping past its shutdown timeout. Its completion is ignored; the
    # foundation has already recorded the step (or released it to run again).
    #
    # Like Timeout's internal exception it is not a StandardError, so a handler's `rescue => e`
    # does not swallow it and keep a cancelled step running.
    class StepCancelledError < Exception
      def error_type
        'Cancelled'
      end
    end
  end
end
