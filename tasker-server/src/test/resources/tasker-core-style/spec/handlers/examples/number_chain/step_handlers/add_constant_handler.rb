# frozen_string_literal: true

require_relative '../../../../../lib/tasker_core/errors'

module NumberChain
  module StepHandlers
    # Adds the constant its template configures (overridden per environment).
    class AddConstantHandler < TaskerCore::StepHandler::Base
      def call(_task, sequence, _step)
        doubled = sequence.get_results('chain_double')
        raise TaskerCore::Errors::PermanentError, 'chain_double has no result' if doubled.nil?

        constant = config[:constant]
        TaskerCore::Types::StepHandlerCallResult.success(result: doubled + constant, metadata: { constant: constant })
      end
    end
  end
end
