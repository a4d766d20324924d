# frozen_string_literal: true

module OrderFulfillment
  module StepHandlers
    # Charges the order total through the configured gateway.
    class ProcessPaymentHandler < TaskerCore::StepHandler::Base
      def call(context)
        total = context.get_dependency_result('validate_order')[:total]
        units = context.get_dependency_field(:reserve_inventory, :reserved_units)
        if total <= 0
          return failure(message: "Nothing to charge: total is #{total}", error_type: 'PaymentError',
                         error_code: 'ZERO_TOTAL', retryable: false, metadata: { total: total })
        end

        TaskerCore::Types::StepHandlerCallResult.success(
          result: { payment_id: "pay-#{context.task_uuid[0, 8]}", amount_charged: total, units: units,
                    gateway: config['gateway'] },
          metadata: { gateway: context.get_config('gateway') }
        )
      end
    end
  end
end
