package io.tasker.worker;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tasker.worker.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

class WorkerEventSystemTest {
    private final List<StepExecutionCompletionEvent> completions = new CopyOnWriteArrayList<>();
    private final WorkerEventSystem events = new WorkerEventSystem("worker-1", completions::add);

    /** Takes the steps whose callable starts with its prefix and remembers them. */
    private static final class Recorder implements StepExecutionSubscriber {
        final String prefix;
        final List<StepExecutionEvent> taken = new CopyOnWriteArrayList<>();
        final List<StepExecutionEvent> cancelled = new CopyOnWriteArrayList<>();

        Recorder(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public boolean accepts(String callable) {
            return callable.startsWith(prefix);
        }

        @Override
        public void onStepExecution(StepExecutionEvent event) {
            taken.add(event);
        }

        @Override
        public void cancel(StepExecutionEvent event) {
            cancelled.add(event);
        }

        @Override
        public List<String> callables() {
            return List.of(prefix + "Handler");
        }
    }

    @Test
    void eachEventGoesToTheFirstSubscriberThatAcceptsIt() {
        Recorder java = new Recorder("java.");
        Recorder anything = new Recorder("");
        events.subscribe(java);
        events.subscribe(anything);

        StepExecutionEvent forJava = event("java.Handler");
        StepExecutionEvent forRuby = event("Ruby::Handler");
        events.publish(forJava);
        events.publish(forRuby);

        assertThat(java.taken).containsExactly(forJava);
        assertThat(anything.taken).containsExactly(forRuby);
        assertThat(events.pendingEvents()).isEqualTo(2);
        assertThat(events.publishCompletion(StepExecutionCompletionEvent.success(forJava, null, null))).isTrue();
        assertThat(completions).extracting(StepExecutionCompletionEvent::eventId).containsExactly(forJava.eventId());
        assertThat(events.counters()).isEqualTo(new WorkerEventSystem.Counters(2, 1, 0, 0, 0));
    }

    @Test
    void anEventNobodyAcceptsFailsPermanentlyNamingWhatIsRegistered() {
        events.subscribe(new Recorder("java."));

        StepExecutionEvent event = event("Missing::Handler");
        events.publish(event);

        assertThat(completions).singleElement().satisfies(completion -> {
            assertThat(completion.success()).isFalse();
            assertThat(completion.retryable()).isFalse();
            assertThat(completion.errorMessage()).isEqualTo("no handler registered for callable 'Missing::Handler'"
                    + " in worker worker-1 (registered: java.Handler)");
        });
        assertThat(events.counters().failed()).isEqualTo(1);
        assertThat(events.pendingEvents()).isZero();
    }

    @Test
    void aSubscriberThatThrowsFailsTheStepRetryably() {
        events.subscribe(new StepExecutionSubscriber() {
            @Override
            public boolean accepts(String callable) {
                return true;
            }

            @Override
            public void onStepExecution(StepExecutionEvent event) {
                throw new IllegalStateException("queue full");
            }
        });

        events.publish(event("any.Handler"));

        assertThat(completions).singleElement().satisfies(completion -> {
            assertThat(completion.retryable()).isTrue();
            assertThat(completion.errorMessage()).contains("queue full");
        });
    }

    @Test
    void unknownRepeatedAndWithdrawnCompletionsAreCountedAndDropped() {
        Recorder recorder = new Recorder("");
        events.subscribe(recorder);
        StepExecutionEvent answered = event("a.Handler");
        StepExecutionEvent withdrawn = event("a.Handler");
        events.publish(answered);
        events.publish(withdrawn);

        assertThat(events.publishCompletion(StepExecutionCompletionEvent.success(answered, null, null))).isTrue();
        assertThat(events.publishCompletion(StepExecutionCompletionEvent.success(answered, null, null))).isFalse();
        assertThat(events.publishCompletion(StepExecutionCompletionEvent.success(event("never.Published"), null, null)))
                .isFalse();
        assertThat(events.withdraw(withdrawn.eventId())).contains(withdrawn);
        assertThat(events.withdraw(withdrawn.eventId())).isEmpty();
        assertThat(events.publishCompletion(StepExecutionCompletionEvent.failure(withdrawn, "late", null, true, null,
                null))).isFalse();

        assertThat(recorder.cancelled).containsExactly(withdrawn);
        assertThat(completions).hasSize(1);
        assertThat(events.counters()).isEqualTo(new WorkerEventSystem.Counters(2, 1, 0, 1, 3));
    }

    @Test
    void aCompletionTheFoundationRefusesIsCountedAsUnknown() {
        WorkerEventSystem refusing = new WorkerEventSystem("worker-2", completion -> false);
        refusing.subscribe(new Recorder(""));
        StepExecutionEvent event = event("a.Handler");
        refusing.publish(event);

        assertThat(refusing.publishCompletion(StepExecutionCompletionEvent.success(event, null, null))).isFalse();
        assertThat(refusing.counters().unknownCompletions()).isEqualTo(1);
    }
}
