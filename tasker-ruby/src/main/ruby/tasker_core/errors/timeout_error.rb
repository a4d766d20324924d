# frozen_string_literal: true

module TaskerCore
  module Errors
    # Something the step waited for took too long (timeout_duration seconds). Retried.
    class TimeoutError < ProceduralError
      records :timeout_duration
    end
  end
end
