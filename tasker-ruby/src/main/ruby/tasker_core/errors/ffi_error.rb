# frozen_string_literal: true

module TaskerCore
  module Errors
    # A call across the bridge to the foundation failed (operation names it). Not retried.
    class FFIError < Error
      records :operation
    end
  end
end
