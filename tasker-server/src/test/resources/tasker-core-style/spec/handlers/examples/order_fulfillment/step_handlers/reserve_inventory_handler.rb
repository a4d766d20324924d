# frozen_string_literal: true

module OrderFulfillment
  module StepHandlers
    # Reserves each validated item; reads the previous step's result with symbol keys.
    class ReserveInventoryHandler < TaskerCore::StepHandler::Base
      def call(context)
        items = context.get_dependency_field('validate_order', 'items')
        reservations = items.map { |item| { sku: item[:sku], reserved: item[:quantity], reservation_id: "res-#{item[:sku]}" } }
        success(result: { reservations: reservations, reserved_units: reservations.sum { |r| r[:reserved] } })
      end
    end
  end
end
