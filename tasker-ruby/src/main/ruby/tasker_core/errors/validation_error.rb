# frozen_string_literal: true

module TaskerCore
  module Errors
    # Input that breaks a rule; field names it. Not retried.
    class ValidationError < PermanentError
      records :field
    end
  end
end
