# frozen_string_literal: true

module TaskerCore
  module Errors
    # An embedded server's operation (start, stop, ...) failed. Retried.
    class ServerError < Error
      records :operation
    end
  end
end
