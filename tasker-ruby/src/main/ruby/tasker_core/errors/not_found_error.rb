# frozen_string_literal: true

module TaskerCore
  module Errors
    # Something the step needs does not exist; resource_type says what. Not retried.
    class NotFoundError < PermanentError
      records :resource_type
    end
  end
end
