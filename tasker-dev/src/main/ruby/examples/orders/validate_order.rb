# frozen_string_literal: true

module Examples
  module Orders
    # Accepts the order, or rejects it for good when the context says invalid: true.
    class ValidateOrder < TaskerCore::StepHandler::Base
      def call(step)
        order = Order.of(step)
        raise TaskerCore::Errors::PermanentError, "order #{order.id} is invalid: rejected by validation" if order.invalid

        success(result: { 'order_id' => order.id, 'status' => 'validated' })
      end
    end
  end
end
