# frozen_string_literal: true

module Examples
  module Orders
    # Reserves the order's goods; the reservation id is derived from the order id, so reruns agree.
    class ReserveInventory < TaskerCore::StepHandler::Base
      def call(step)
        order = Order.of(step)
        Order.parent_result(step, 'validate_order')
        success(result: { 'order_id' => order.id, 'reservation_id' => order.derived_id('RES'), 'status' => 'reserved' })
      end
    end
  end
end
