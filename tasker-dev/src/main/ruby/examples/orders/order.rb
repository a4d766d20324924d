# frozen_string_literal: true

module Examples
  module Orders
    # The order an order_fulfillment task works on, read from its context. The template's input
    # schema has already checked the types; the checks here keep the handlers safe when a
    # template is changed without them.
    #
    # payment_failures: how many payment attempts fail before one succeeds (to show retries)
    # invalid: whether validation rejects the order (to show a permanent failure)
    Order = Data.define(:id, :payment_failures, :invalid) do
      def self.of(step)
        context = step.task_context
        id = context['order_id']
        unless id.is_a?(String) && !id.strip.empty?
          raise TaskerCore::Errors::PermanentError, "context.order_id must be a non-empty string, got #{id.inspect}"
        end

        failures = context['payment_failures']
        new(id: id, payment_failures: failures.is_a?(Integer) ? failures : 0, invalid: context['invalid'] == true)
      end

      # The result a parent step recorded; its absence means the template no longer fits the handlers.
      def self.parent_result(step, step_name)
        result = step.dependency_result(step_name)
        return result unless result.nil?

        raise TaskerCore::Errors::PermanentError,
              "step #{step.step_name} needs the result of step #{step_name}, but the task has none; " \
              'check that the template lists it in depends_on'
      end

      # An identifier of this order's kind (reservation, payment, ...): the same on every run.
      def derived_id(prefix)
        "#{prefix}-#{id}"
      end
    end
  end
end
