package io.tasker.bench.chaos.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tasker.bench.chaos.internal.ChaosData.PlannedTask;
import io.tasker.core.internal.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

/**
 * Creates the planned tasks through the REST API, as a client would, batch by batch: the driver
 * releases a batch before each fault, and the feeder creates it at an even pace over about the
 * time to the fault, so every fault hits while tasks run, however long restarting a process
 * took. A request that fails (the server killed, PostgreSQL restarting: no answer, or 5xx) is
 * sent again until it succeeds or the deadline passes. A task's context identifies it (the chaos
 * templates' identity is their context), so when a lost answer hid a created task, the repeat
 * gets {@code 409} with that task's id rather than a second task.
 */
final class TaskFeeder implements Runnable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long RETRY_PAUSE_MILLIS = 250;

    private final String apiUrl;
    private final List<PlannedTask> planned;
    private final AtomicReferenceArray<UUID> created;
    private final long deadlineNanos;
    /** How many tasks may be created so far, and how far apart; set by {@link #release}. */
    private int released;
    private long paceNanos;
    private final AtomicInteger createdCount = new AtomicInteger();
    private final AtomicInteger repeats = new AtomicInteger();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT).build();

    TaskFeeder(String apiUrl, List<PlannedTask> planned, long deadlineNanos) {
        this.apiUrl = apiUrl;
        this.planned = List.copyOf(planned);
        this.created = new AtomicReferenceArray<>(planned.size());
        this.deadlineNanos = deadlineNanos;
    }

    /** Lets the tasks up to {@code upTo} (of all planned) be created, spread evenly over {@code over}. */
    synchronized void release(int upTo, Duration over) {
        int target = Math.min(upTo, planned.size());
        if (target > released) {
            paceNanos = over.toNanos() / (target - released);
            released = target;
            notifyAll();
        }
    }

    /** Waits until task {@code index} is released; returns the pace to keep, or -1 past the deadline. */
    private synchronized long awaitRelease(int index) throws InterruptedException {
        while (index >= released) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return -1;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return paceNanos;
    }

    @Override
    public void run() {
        long due = System.nanoTime();
        for (int i = 0; i < planned.size(); i++) {
            try {
                long pace = awaitRelease(i);
                if (pace < 0) {
                    return;
                }
                due = Math.max(due + pace, System.nanoTime());
                TimeUnit.NANOSECONDS.sleep(due - System.nanoTime());
                UUID id = create(planned.get(i));
                if (id != null) {
                    created.set(i, id);
                    createdCount.incrementAndGet();
                } else if (System.nanoTime() >= deadlineNanos) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The task's id, or null when the deadline passed or the API refused it for good. */
    private UUID create(PlannedTask task) throws InterruptedException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("namespace", task.namespace())
                .put("name", task.workflow().name());
        body.putObject("context").put("input", task.input()).put("n", task.n());
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + "/v1/tasks"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
                .build();
        for (int tries = 1; System.nanoTime() < deadlineNanos; tries++) {
            if (tries > 1) {
                repeats.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MILLIS);
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException unavailable) {
                continue;
            }
            int status = response.statusCode();
            if (status == 201 || status == 409) {
                JsonNode answer = Json.parse(response.body());
                return UUID.fromString(answer.path(status == 201 ? "task_uuid" : "existing_task_uuid").asText());
            }
            if (status < 500) {
                problems.add("POST /v1/tasks for " + task.describe() + " answered " + status + ": "
                        + response.body());
                return null;
            }
        }
        return null;
    }

    /** The planned tasks, each with its id when it was created. */
    List<PlannedTask> outcome() {
        return IntStream.range(0, planned.size())
                .mapToObj(i -> created.get(i) == null ? planned.get(i) : planned.get(i).created(created.get(i)))
                .toList();
    }

    int created() {
        return createdCount.get();
    }

    /** Requests sent again because the first try got no answer or a 5xx. */
    int repeats() {
        return repeats.get();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }
}
