# frozen_string_literal: true

module Examples
  module Orders
    # Ships the order once goods are reserved and payment is taken, quoting both (results of its
    # parents) and the validation before them (a grandparent: every ancestor's result is at hand).
    class ShipOrder < TaskerCore::StepHandler::Base
      def call(step)
        order = Order.of(step)
        Order.parent_result(step, 'validate_order')
        reservation = Order.parent_result(step, 'reserve_inventory')
        payment = Order.parent_result(step, 'process_payment')
        success(result: {
                  'order_id' => order.id,
                  'reservation_id' => reservation['reservation_id'].to_s,
                  'payment_id' => payment['payment_id'].to_s,
                  'tracking_number' => order.derived_id('TRK'),
                  'status' => 'shipped'
                })
      end
    end
  end
end
