package io.tasker.examples.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The convergence step: approved when every approval that was created approved. It depends on all
 * three approvals, but only those the decision created are waited for and have a result.
 */
public final class FinalizeApproval implements StepHandler {
    /** The approvals in the order the result lists their approvers. */
    private static final List<String> APPROVALS = List.of("auto_approve", "manager_approval", "finance_review");

    @Override
    public StepHandlerResult call(StepContext context) {
        List<String> approvers = new ArrayList<>();
        boolean approved = true;
        for (String step : APPROVALS) {
            JsonNode approval = context.dependencyResult(step);
            if (approval != null) {
                approvers.add(approval.get("approver").asText());
                approved &= approval.get("approved").asBoolean();
            }
        }
        JsonNode decision = context.dependencyResult("routing_decision");
        return StepHandlerResult.success(Map.of("approved", approved, "approvers", approvers,
                "route_type", decision.get("route_type").asText(), "amount", decision.get("amount").decimalValue()));
    }
}
