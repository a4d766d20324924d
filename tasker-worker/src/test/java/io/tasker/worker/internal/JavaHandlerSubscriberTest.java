package io.tasker.worker.internal;

import io.tasker.worker.StepExecutionCompletionEvent;
import io.tasker.worker.StepExecutionEvent;
import io.tasker.worker.WorkerEventSystem;
import io.tasker.worker.handler.PermanentException;
import io.tasker.worker.handler.RetryableException;
import io.tasker.worker.handler.StepContext;
import io.tasker.worker.handler.StepHandler;
import io.tasker.worker.handler.StepHandlerRegistry;
import io.tasker.worker.handler.StepHandlerResult;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static io.tasker.worker.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/** How whatever a Java handler does becomes a completion, without a database. */
class JavaHandlerSubscriberTest {
    private final List<StepExecutionCompletionEvent> completions = new CopyOnWriteArrayList<>();
    private final WorkerEventSystem events = new WorkerEventSystem("worker-1", completions::add);
    private final StepHandlerRegistry registry = new StepHandlerRegistry();
    private final JavaHandlerSubscriber subscriber = new JavaHandlerSubscriber(registry, events, "worker-1", 2);

    {
        events.subscribe(subscriber);
    }

    @AfterEach
    void closePool() {
        subscriber.close();
    }

    private StepExecutionCompletionEvent run(StepHandler handler) {
        return run(handler, null);
    }

    private StepExecutionCompletionEvent run(StepHandler handler, String method) {
        String callable = "test.Handler" + completions.size() + System.nanoTime();
        registry.register(callable, () -> handler);
        StepExecutionEvent event = event(callable, method);
        events.publish(event);
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> completions.stream().anyMatch(c -> c.eventId().equals(event.eventId())));
        return completions.stream().filter(c -> c.eventId().equals(event.eventId())).findFirst().orElseThrow();
    }

    @Test
    void aSuccessKeepsItsResultAndMetadata() {
        StepExecutionCompletionEvent completion = run(context ->
                StepHandlerResult.success(Map.of("order", context.taskContext().get("order")), Map.of("ms", 3)));

        assertThat(completion.success()).isTrue();
        assertThat(completion.result().get("order").intValue()).isEqualTo(42);
        assertThat(completion.metadata().get("ms").intValue()).isEqualTo(3);
    }

    @Test
    void aHandlerMethodOtherThanCallFailsTheStepForGoodInsteadOfRunningCall() {
        StepExecutionCompletionEvent completion = run(context -> StepHandlerResult.success("ran call"), "refund");

        assertThat(completion.success()).isFalse();
        assertThat(completion.retryable()).isFalse();
        assertThat(completion.errorMessage()).contains("handler.method 'refund'").contains("remove handler.method");
        assertThat(run(context -> StepHandlerResult.success("ran call"), "call").result().asText()).isEqualTo("ran call");
    }

    @Test
    void whileAHandlerRunsItsStepIsInTheMdc() {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        StepExecutionCompletionEvent completion = run(context -> {
            seen.add(MDC.getCopyOfContextMap());
            return null;
        });

        assertThat(seen).singleElement().isEqualTo(Map.of(
                "task_uuid", completion.taskUuid().toString(),
                "step_uuid", completion.stepUuid().toString(),
                "step_name", "step",
                "worker_id", "worker-1"));
    }

    @Test
    void aNullResultIsASuccessWithJsonNull() {
        assertThat(run(context -> null).result()).isNull();
        assertThat(run(context -> StepHandlerResult.success(null)).result().isNull()).isTrue();
    }

    @Test
    void aReturnedFailureIsKeptAsGiven() {
        StepExecutionCompletionEvent completion = run(context ->
                StepHandlerResult.failure("card declined", "PaymentError", false, null));

        assertThat(completion.success()).isFalse();
        assertThat(completion.errorMessage()).isEqualTo("card declined");
        assertThat(completion.errorType()).isEqualTo("PaymentError");
        assertThat(completion.retryable()).isFalse();
        assertThat(completion.errorDetails()).isNull();
    }

    @Test
    void retryableAndPermanentExceptionsSayWhetherToRetry() {
        StepExecutionCompletionEvent retryable = run(context -> {
            throw new RetryableException("rate limited", Duration.ofSeconds(7));
        });
        StepExecutionCompletionEvent permanent = run(context -> {
            throw new PermanentException("no such customer");
        });

        assertThat(retryable.retryable()).isTrue();
        assertThat(retryable.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(retryable.errorMessage()).isEqualTo("rate limited");
        assertThat(permanent.retryable()).isFalse();
        assertThat(permanent.errorType()).isEqualTo(PermanentException.class.getName());
    }

    @Test
    void anyOtherThrowableIsARetryableFailureWithItsClassMessageAndFirstFrames() {
        StepExecutionCompletionEvent exception = run(context -> {
            throw new java.io.IOException("connection reset");
        });
        StepExecutionCompletionEvent error = run(context -> {
            throw new StackOverflowError();
        });

        assertThat(exception.retryable()).isTrue();
        assertThat(exception.errorType()).isEqualTo("java.io.IOException");
        assertThat(exception.errorMessage()).isEqualTo("connection reset");
        assertThat(exception.errorDetails().get("exception_class").asText()).isEqualTo("java.io.IOException");
        assertThat(exception.errorDetails().get("message").asText()).isEqualTo("connection reset");
        assertThat(exception.errorDetails().get("backtrace")).hasSizeBetween(1, ExceptionDetails.BACKTRACE_FRAMES);
        assertThat(error.retryable()).isTrue();
        assertThat(error.errorType()).isEqualTo("java.lang.StackOverflowError");
        assertThat(error.errorMessage()).isEqualTo("java.lang.StackOverflowError");
    }

    @Test
    void aCancelledStepIsInterruptedAndNeverAnswered() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Boolean> cancelledSeen = new CopyOnWriteArrayList<>();
        registry.register("test.Blocking", () -> context -> {
            cancelledSeen.add(context.isCancelled());
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                cancelledSeen.add(context.isCancelled());
                interrupted.countDown();
            }
            return StepHandlerResult.success("late");
        });
        StepExecutionEvent event = event("test.Blocking");
        events.publish(event);
        started.await();

        events.withdraw(event.eventId());

        interrupted.await();
        subscriber.close();
        assertThat(cancelledSeen).as("StepContext.isCancelled() before, then after the cancellation")
                .containsExactly(false, true);
        assertThat(completions).isEmpty();
        assertThat(events.counters().unknownCompletions()).isZero();
    }

    /** Says whether the thread's context class loader is the one that loaded this class. */
    public static final class ContextLoaderProbe implements StepHandler {
        @Override
        public StepHandlerResult call(StepContext context) {
            return StepHandlerResult.success(Thread.currentThread().getContextClassLoader() == getClass().getClassLoader());
        }
    }

    @Test
    void aHandlerRunsWithItsOwnClassLoaderAsTheContextClassLoader() throws Exception {
        ClassLoader isolated = new ClassLoader("handler-jar", getClass().getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(ContextLoaderProbe.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded != null) {
                        return loaded;
                    }
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] bytes = in.readAllBytes();
                        return defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
            }
        };
        StepHandler probe = (StepHandler) isolated.loadClass(ContextLoaderProbe.class.getName())
                .getConstructor().newInstance();
        assertThat(probe.getClass().getClassLoader()).isSameAs(isolated);

        assertThat(run(probe).result().booleanValue()).isTrue();
    }
}
