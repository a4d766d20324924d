package io.tasker.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The Tasker REST API from Java: create and follow tasks, act on failed ones, read the dead
 * letters and the templates. One method a route, over the JDK's HTTP client; safe to share between
 * threads. Every refusal and failure is a {@link TaskerClientException}.
 *
 * <pre>{@code
 * try (TaskerClient client = TaskerClient.create(TaskerClientOptions.builder()
 *         .baseUrl("http://127.0.0.1:8080").token(System.getenv("TASKER_TOKEN")).build())) {
 *     Task task = client.createTask(NewTask.builder("examples", "linear_workflow")
 *             .context(Map.of("even_number", 6)).build());
 *     client.streamTasks(TaskQuery.all().states("error")).forEach(t -> System.out.println(t.taskUuid()));
 * }
 * }</pre>
 */
public final class TaskerClient implements AutoCloseable {
    private final TaskerClientOptions options;
    private final HttpTransport transport;

    private TaskerClient(TaskerClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.transport = new HttpTransport(options);
    }

    public static TaskerClient create(TaskerClientOptions options) {
        return new TaskerClient(options);
    }

    /** A client of the API at {@code baseUrl} with the default timeouts and no token. */
    public static TaskerClient create(String baseUrl) {
        return new TaskerClient(TaskerClientOptions.of(baseUrl));
    }

    public TaskerClientOptions options() {
        return options;
    }

    /**
     * {@code POST /v1/tasks}: the new task with its steps. A task with the same identity that
     * exists already is a {@code 409} whose {@link TaskerClientException#existingTaskUuid()} names it.
     */
    public Task createTask(NewTask task) {
        return transport.post("/v1/tasks", task.toJson(), Task::from);
    }

    /** {@code GET /v1/tasks/{uuid}}: the task with its steps; {@code 404} when there is none. */
    public Task getTask(UUID taskUuid) {
        return transport.get(taskPath(taskUuid), Task::from);
    }

    /** {@code GET /v1/tasks}: one page of tasks, newest first, without their context and steps. */
    public Page<Task> listTasks(TaskQuery query) {
        return transport.get("/v1/tasks" + query.queryString(), page("tasks", Task::from));
    }

    /** Every task {@code query} lets through, newest first, each page fetched when the stream reaches it. */
    public Stream<Task> streamTasks(TaskQuery query) {
        return PageStream.of(query, this::listTasks);
    }

    /** {@code GET /v1/tasks/{uuid}/transitions}: every state change of the task and its steps, oldest first. */
    public List<Transition> transitions(UUID taskUuid) {
        return transport.get(taskPath(taskUuid) + "/transitions",
                json -> ClientJson.list(json, "transitions", Transition::from));
    }

    /**
     * {@code POST /v1/tasks/{uuid}/cancel}: the task, now {@code cancelled}, its unfinished steps
     * too; {@code 409} when it is complete, cancelled or resolved already.
     */
    public Task cancelTask(UUID taskUuid, String reason) {
        return transport.post(taskPath(taskUuid) + "/cancel", withReason(reason), Task::from);
    }

    /** {@code GET /v1/steps}: one page of steps across tasks, most recently changed first. */
    public Page<StepSummary> listSteps(StepQuery query) {
        return transport.get("/v1/steps" + query.queryString(), page("steps", StepSummary::from));
    }

    /** Every step {@code query} lets through, page by page as the stream reaches it. */
    public Stream<StepSummary> streamSteps(StepQuery query) {
        return PageStream.of(query, this::listSteps);
    }

    /**
     * Runs a step in {@code error} again, with as many attempts again as its template gives it
     * ({@code max_attempts} grows by that many, attempts are numbered on); the task leaves
     * {@code error}. {@code 409} for a step in another state.
     */
    public Task retryStep(UUID taskUuid, UUID stepUuid, String reason) {
        return transport.post(stepPath(taskUuid, stepUuid) + "/retry", withReason(reason), Task::from);
    }

    /**
     * Marks a step in {@code error} {@code resolved_manually}: it counts as done and the steps that
     * depend on it run without a result from it. {@code 409} for a step in another state.
     */
    public Task resolveStep(UUID taskUuid, UUID stepUuid, String reason) {
        return transport.post(stepPath(taskUuid, stepUuid) + "/resolve", withReason(reason), Task::from);
    }

    /**
     * Completes a step in {@code error} with {@code result} (a {@link JsonNode}, a {@code Map} or
     * any object Jackson writes), which the steps that depend on it see. {@code 409} otherwise.
     */
    public Task completeStep(UUID taskUuid, UUID stepUuid, Object result, String reason) {
        ObjectNode body = withReason(reason);
        body.set("result", ClientJson.tree(result));
        return transport.post(stepPath(taskUuid, stepUuid) + "/complete", body, Task::from);
    }

    /** {@code GET /v1/dlq}: one page of dead letters, newest first. */
    public Page<DeadLetter> listDeadLetters(DeadLetterQuery query) {
        return transport.get("/v1/dlq" + query.queryString(), page("entries", DeadLetter::from));
    }

    /** Every dead letter {@code query} lets through, page by page as the stream reaches it. */
    public Stream<DeadLetter> streamDeadLetters(DeadLetterQuery query) {
        return PageStream.of(query, this::listDeadLetters);
    }

    public DeadLetter getDeadLetter(UUID id) {
        return transport.get("/v1/dlq/" + id, DeadLetter::from);
    }

    /** Marks an open entry resolved by the caller with {@code resolution}; {@code 409} when it was resolved already. */
    public DeadLetter resolveDeadLetter(UUID id, String resolution) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode().put("resolution", resolution);
        return transport.post("/v1/dlq/" + id + "/resolve", body, DeadLetter::from);
    }

    public DeadLetterStats deadLetterStats() {
        return transport.get("/v1/dlq/stats", DeadLetterStats::from);
    }

    /** {@code GET /v1/templates}: every registered version of every template. */
    public List<Template> listTemplates() {
        return transport.get("/v1/templates", json -> ClientJson.list(json, "templates", Template::from));
    }

    /** The newest registered version of {@code namespace/name}; {@code 404} when there is none. */
    public Template getTemplate(String namespace, String name) {
        return getTemplate(namespace, name, null);
    }

    /** The given version of {@code namespace/name}, or the newest for a null {@code version}. */
    public Template getTemplate(String namespace, String name, String version) {
        String query = version == null ? "" : "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8);
        return transport.get("/v1/templates/" + segment(namespace) + "/" + segment(name) + query, Template::from);
    }

    /**
     * {@code GET /health/ready}: whether the server can do work. A server whose database does not
     * answer reports {@code unavailable} rather than failing the call.
     */
    public Health health() {
        return transport.get("/health/ready", Health::from, Set.of(503));
    }

    /** {@code GET /health/live}: whether the process serves at all. */
    public Health liveness() {
        return transport.get("/health/live", Health::from);
    }

    /** Releases the HTTP client's connections and threads. */
    @Override
    public void close() {
        transport.close();
    }

    private static String taskPath(UUID taskUuid) {
        return "/v1/tasks/" + Objects.requireNonNull(taskUuid, "taskUuid");
    }

    private static String stepPath(UUID taskUuid, UUID stepUuid) {
        return taskPath(taskUuid) + "/steps/" + Objects.requireNonNull(stepUuid, "stepUuid");
    }

    private static ObjectNode withReason(String reason) {
        ObjectNode body = ClientJson.MAPPER.createObjectNode();
        return reason == null ? body : body.put("reason", reason);
    }

    private static <T> Function<JsonNode, Page<T>> page(String field, Function<JsonNode, T> item) {
        return json -> new Page<>(ClientJson.list(json, field, item), ClientJson.text(json, "next_cursor"));
    }

    /** A path segment percent-encoded, so a name with {@code /} or a space stays one segment. */
    private static String segment(String text) {
        return URLEncoder.encode(Objects.requireNonNull(text), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
