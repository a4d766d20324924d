# frozen_string_literal: true

module TaskerCore
  module Errors
    # A call over the network failed (status_code, if it was HTTP). Retried.
    class NetworkError < ProceduralError
      records :status_code
    end
  end
end
