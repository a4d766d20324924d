package io.tasker.examples.approvals;

import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerResult;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decision point: below 1,000 the request is approved automatically, up to 5,000 a manager
 * approves it, above that a manager and finance do. Only the approvals chosen are created.
 */
public final class RoutingDecision implements StepHandler {
    static final BigDecimal SMALL = new BigDecimal(1_000);
    static final BigDecimal LARGE = new BigDecimal(5_000);

    @Override
    public StepHandlerResult call(StepContext context) {
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
}
