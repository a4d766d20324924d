# frozen_string_literal: true

module ConditionalApproval
  module StepHandlers
    # The convergence step: approved when every approval that was created approved.
    class FinalizeApprovalHandler < TaskerCore::StepHandler::Base
      APPROVALS = %w[auto_approve manager_approval finance_review].freeze

      def call(task, sequence, _step)
        approvals = APPROVALS.filter_map { |name| sequence.get_results(name) }
        decision = sequence.get_results('routing_decision')
        success(result: { approved: approvals.all? { |approval| approval['approved'] },
                          approvers: approvals.map { |approval| approval['approver'] },
                          route_type: decision['route_type'], amount: decision['amount'] },
                metadata: { request: task.context['purpose'] })
      end
    end
  end
end
