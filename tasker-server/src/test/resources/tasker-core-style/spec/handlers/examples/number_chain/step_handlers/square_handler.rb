# frozen_string_literal: true

module NumberChain
  module StepHandlers
    # Squares the previous link; answers with a plain Hash result, as some 2025 handlers did.
    class SquareHandler < TaskerCore::StepHandler::Base
      def call(_task, sequence, step)
        sum = sequence.get_results(:chain_add)
        { squared: sum * sum, from_step: step.name }
      end
    end
  end
end
