# frozen_string_literal: true

require_relative '../../../../../lib/tasker_core/errors'

module OrderFulfillment
  module StepHandlers
    # Validates the order in the task context; a bad order is a permanent failure with an error code.
    class ValidateOrderHandler < TaskerCore::StepHandler::Base
      def call(context)
        order = deep_symbolize_keys(context.task.context)
        customer = order[:customer_info]
        items = order[:order_items]

        unless customer&.dig(:id)
          raise TaskerCore::Errors::PermanentError.new('Customer ID is required', error_code: 'MISSING_CUSTOMER_ID',
                                                                                 context: { field: 'customer_info.id' })
        end
        if items.nil? || items.empty? || items.size > context.get_config('max_items')
          raise TaskerCore::Errors::ValidationError.new("Order must have 1 to #{context.step_config[:max_items]} items",
                                                        field: 'order_items', error_code: 'BAD_ITEM_COUNT')
        end

        TaskerCore::Logger.instance.log_step(:info, 'validate_order', step_uuid: context.step_uuid,
                                                                      step_name: context.workflow_step.name,
                                                                      item_count: items.size)
        TaskerCore::Types::StepHandlerCallResult.success(
          result: {
            customer_id: customer[:id],
            items: items.map { |item| { sku: item[:sku], quantity: item[:quantity], price: item[:price] } },
            total: items.sum { |item| item[:quantity] * item[:price] },
            status: :validated
          },
          metadata: { operation: 'validate_order', item_count: items.size }
        )
      end

      private

      def deep_symbolize_keys(value)
        case value
        when Hash then value.each_with_object({}) { |(k, v), h| h[k.to_sym] = deep_symbolize_keys(v) }
        when Array then value.map { |v| deep_symbolize_keys(v) }
        else value
        end
      end
    end
  end
end
