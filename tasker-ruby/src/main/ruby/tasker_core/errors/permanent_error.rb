# frozen_string_literal: true

module TaskerCore
  module Errors
    # A failure retrying cannot fix: the step goes to error at once.
    class PermanentError < Error
    end
  end
end
