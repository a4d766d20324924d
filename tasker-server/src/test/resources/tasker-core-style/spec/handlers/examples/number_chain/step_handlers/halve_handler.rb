# frozen_string_literal: true

module NumberChain
  module StepHandlers
    # Last link: halves the square, reading a nested dependency result with symbol keys.
    class HalveHandler < TaskerCore::StepHandler::Base
      def call(task, sequence, _step)
        squared = sequence.get_results('chain_square')[:squared]
        TaskerCore::Types::StepHandlerCallResult.success(
          result: { final: squared / config['divisor'], input: task.context[:number] },
          metadata: { operation: 'halve' }
        )
      end
    end
  end
end
