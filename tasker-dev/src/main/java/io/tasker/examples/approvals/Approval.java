package io.tasker.examples.approvals;

import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.Map;

/** An approval by someone: approved, with the amount the decision routed. */
public abstract sealed class Approval implements StepHandler permits AutoApprove, ManagerApproval, FinanceReview {
    private final String approver;

    Approval(String approver) {
        this.approver = approver;
    }

    @Override
    public final StepHandlerResult call(StepContext context) {
        return StepHandlerResult.success(Map.of("approved", true, "approver", approver,
                "amount", context.dependencyResult("routing_decision").get("amount").decimalValue()));
    }
}
