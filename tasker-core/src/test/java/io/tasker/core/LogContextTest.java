package io.tasker.core;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LogContextTest {
    @Test
    void aStepIsNamedWhileItsContextIsOpenAndForgottenAfter() {
        UUID task = Ids.newId();
        UUID step = Ids.newId();

        try (LogContext ignored = LogContext.step(task, step, "charge", "worker-1")) {
            assertThat(MDC.getCopyOfContextMap()).containsEntry("task_uuid", task.toString())
                    .containsEntry("step_uuid", step.toString()).containsEntry("step_name", "charge")
                    .containsEntry("worker_id", "worker-1");
        }

        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void anInnerContextGivesBackTheOuterOne() {
        UUID outerTask = Ids.newId();
        UUID innerTask = Ids.newId();

        try (LogContext outer = LogContext.step(outerTask, Ids.newId(), "a", "worker-1")) {
            try (LogContext inner = LogContext.task(innerTask)) {
                assertThat(MDC.get("task_uuid")).isEqualTo(innerTask.toString());
                assertThat(MDC.get("step_name")).isNull();
            }
            assertThat(MDC.get("task_uuid")).isEqualTo(outerTask.toString());
            assertThat(MDC.get("step_name")).isEqualTo("a");
        }
    }
}
