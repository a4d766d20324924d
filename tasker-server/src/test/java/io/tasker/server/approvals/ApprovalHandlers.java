package io.tasker.server.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;
import io.tasker.worker.handler.StepHandlerResult;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Amount-based approval routing in Java, the example of docs/dynamic-workflows.md (template
 * {@code approval-routing/templates/approval_routing.yaml}): below 1,000 the request is approved
 * automatically, up to 5,000 a manager approves it, above that a manager and finance do. The Ruby
 * handlers beside the template in tasker-core's style give the same results.
 */
public final class ApprovalHandlers implements StepHandlerProvider {
    static final BigDecimal SMALL = new BigDecimal(1_000);
    static final BigDecimal LARGE = new BigDecimal(5_000);
    /** The approvals in the order the finalizing step lists them. */
    static final List<String> APPROVALS = List.of("auto_approve", "manager_approval", "finance_review");

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(
                "io.tasker.server.approvals.ValidateRequest", () -> ApprovalHandlers::validate,
                "io.tasker.server.approvals.RoutingDecision", () -> ApprovalHandlers::route,
                "io.tasker.server.approvals.AutoApprove", () -> context -> approve(context, "system"),
                "io.tasker.server.approvals.ManagerApproval", () -> context -> approve(context, "manager"),
                "io.tasker.server.approvals.FinanceReview", () -> context -> approve(context, "finance"),
                "io.tasker.server.approvals.FinalizeApproval", () -> ApprovalHandlers::finalizeApproval);
    }

    private static StepHandlerResult validate(StepContext context) {
        JsonNode request = context.taskContext();
        if (!request.path("amount").isNumber() || request.path("amount").decimalValue().signum() <= 0) {
            throw new PermanentException("amount must be a positive number, got " + request.path("amount"));
        }
        for (String field : List.of("requester", "purpose")) {
            if (request.path(field).asText("").isBlank()) {
                throw new PermanentException(field + " is required");
            }
        }
        return StepHandlerResult.success(Map.of("validated", true, "amount", request.get("amount").decimalValue(),
                "requester", request.get("requester").asText()));
    }

    private static StepHandlerResult route(StepContext context) {
        BigDecimal amount = context.dependencyResult("validate_request").get("amount").decimalValue();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("amount", amount);
        if (amount.compareTo(SMALL) < 0) {
            result.put("route_type", "auto_approval");
            return StepHandlerResult.decision(List.of("auto_approve"), result);
        }
        if (amount.compareTo(LARGE) <= 0) {
            result.put("route_type", "manager_only");
            return StepHandlerResult.decision(List.of("manager_approval"), result);
        }
        result.put("route_type", "dual_approval");
        return StepHandlerResult.decision(List.of("manager_approval", "finance_review"), result);
    }

    private static StepHandlerResult approve(StepContext context, String approver) {
        return StepHandlerResult.success(Map.of("approved", true, "approver", approver,
                "amount", context.dependencyResult("routing_decision").get("amount").decimalValue()));
    }

    private static StepHandlerResult finalizeApproval(StepContext context) {
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
