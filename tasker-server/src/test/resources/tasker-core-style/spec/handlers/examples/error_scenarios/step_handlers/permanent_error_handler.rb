# frozen_string_literal: true

module ErrorScenarios
  # Fails for good: a PermanentError with an error code and context.
  class PermanentErrorHandler < TaskerCore::StepHandler::Base
    def call(context)
      TaskerCore::Logger.instance.log_step(:error, 'permanent_failure_injection', step_uuid: context.step_uuid,
                                                                                  step_name: context.workflow_step.name)
      raise TaskerCore::Errors::PermanentError.new(
        'Invalid payment method: test_card_declined',
        error_code: 'INVALID_PAYMENT_METHOD',
        context: { card_type: 'test_card_declined', reason: 'scenario' }
      )
    end
  end
end
