# frozen_string_literal: true

module ErrorScenarios
  class SuccessHandler < TaskerCore::StepHandler::Base
    def call(context)
      TaskerCore::Types::StepHandlerCallResult.success(
        result: { scenario: context.get_config('scenario'), message: 'done' },
        metadata: { step: context.step_name }
      )
    end
  end
end
