# frozen_string_literal: true

module TaskerCore
  module Errors
    # The root of the errors a step handler raises on purpose.
    class Error < StandardError
      # The error type recorded with the failed step; the class name unless given.
      def error_type
        self.class.name.split('::').last
      end
    end
  end
end
