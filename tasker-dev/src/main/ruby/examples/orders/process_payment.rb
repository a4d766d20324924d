# frozen_string_literal: true

module Examples
  module Orders
    # Takes the payment. With payment_failures: k in the context the gateway is "down" for the
    # first k attempts, which shows retries; the retry is due at once so the demo does not wait.
    class ProcessPayment < TaskerCore::StepHandler::Base
      def call(step)
        order = Order.of(step)
        Order.parent_result(step, 'validate_order')
        attempt = step.attempts
        if attempt <= order.payment_failures
          raise TaskerCore::Errors::RetryableError.new(
            "payment gateway unavailable (simulated failure #{attempt} of #{order.payment_failures})", retry_after: 0
          )
        end

        success(result: { 'order_id' => order.id, 'payment_id' => order.derived_id('PAY'), 'status' => 'captured',
                          'attempts' => attempt })
      end
    end
  end
end
