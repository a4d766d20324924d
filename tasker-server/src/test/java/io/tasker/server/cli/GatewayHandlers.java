package io.tasker.server.cli;

import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A Java handler for tests that run a {@code tasker} process of their own, found there through
 * ServiceLoader: {@code test.ChargeCard} logs a line and fails, retryably, every time.
 */
public final class GatewayHandlers implements StepHandlerProvider {
    public static final String CHARGE_CARD = "test.ChargeCard";
    /** Under io.tasker, so Tasker's log level applies to it. */
    private static final Logger log = LoggerFactory.getLogger("io.tasker.test.ChargeCard");

    @Override
    public Map<String, Supplier<? extends StepHandler>> handlers() {
        return Map.of(CHARGE_CARD, () -> context -> {
            log.info("charging the card in Java");
            throw new RetryableException("card gateway down");
        });
    }
}
