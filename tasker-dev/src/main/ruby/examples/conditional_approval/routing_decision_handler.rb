# frozen_string_literal: true

module ConditionalApproval
  module StepHandlers
    # The decision point: below the small threshold the request is approved automatically, up to
    # the large one a manager approves it, above that a manager and finance do.
    class RoutingDecisionHandler < TaskerCore::StepHandler::Decision
      def call(context)
        amount = context.get_dependency_field('validate_request', 'amount')
        thresholds = context.get_config('thresholds')
        route = if amount < thresholds['small'] then ['auto_approval', %w[auto_approve]]
                elsif amount <= thresholds['large'] then ['manager_only', %w[manager_approval]]
                else ['dual_approval', %w[manager_approval finance_review]]
                end

        decision_success(steps: route[1], result_data: { amount: amount, route_type: route[0] },
                         metadata: { thresholds: thresholds })
      end
    end
  end
end
