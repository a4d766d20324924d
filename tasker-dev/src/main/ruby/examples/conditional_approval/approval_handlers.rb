# frozen_string_literal: true

module ConditionalApproval
  module StepHandlers
    # An approval by someone: approved, with the amount the decision routed.
    class ApprovalHandler < TaskerCore::StepHandler::Base
      def call(_task, sequence, _step)
        { approved: true, approver: approver, amount: sequence.get_results('routing_decision')['amount'] }
      end
    end

    class AutoApproveHandler < ApprovalHandler
      def approver = 'system'
    end

    class ManagerApprovalHandler < ApprovalHandler
      def approver = 'manager'
    end

    class FinanceReviewHandler < ApprovalHandler
      def approver = 'finance'
    end
  end
end
