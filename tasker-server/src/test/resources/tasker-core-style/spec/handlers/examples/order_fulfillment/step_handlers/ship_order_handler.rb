# frozen_string_literal: true

module OrderFulfillment
  module StepHandlers
    # Ships a paid order.
    class ShipOrderHandler < TaskerCore::StepHandler::Base
      def call(context)
        payment = context.get_dependency_result('process_payment')
        TaskerCore::Types::StepHandlerCallResult.success(
          result: { shipped: true, tracking_number: "TRK-#{payment['payment_id']}", amount: payment[:amount_charged] }
        )
      end
    end
  end
end
