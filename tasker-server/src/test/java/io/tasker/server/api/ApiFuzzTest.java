package io.tasker.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tasker.server.Http;
import io.tasker.server.RunningTasker;
import io.tasker.server.Tasks;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API fuzzer: requests built at random, from a seed, against Tasker as {@code tasker dev} runs
 * it, over real sockets. No answer may be a 5xx, a dropped connection or silence, or show a stack
 * trace; afterwards the server must still answer and run a task. A few hundred cases run in every
 * build; {@code -Dtasker.fuzz.cases=5000} runs the full set, {@code -Dtasker.fuzz.seed=S} repeats a
 * run and {@code -Dtasker.fuzz.case=K} its case K alone (docs/reliability.md, "API fuzzer").
 */
class ApiFuzzTest {
    private static final int DEFAULT_CASES = 500;
    /** From this many cases on, values at the very limits are among the choices (see {@link FuzzJson}). */
    private static final int LIMITS_FROM = 1_000;
    /** Long enough for a 17 MB body on a busy machine; a server that takes longer has hung. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final int FAILURES_SHOWN = 40;
    /** The API's largest page of tasks. */
    private static final int LIST_LIMIT = 500;
    /** How long the tasks the cases created may run before they are read back. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    /** One case sent: what came back, how long it took, and what was wrong with it. */
    private record Outcome(int index, FuzzCase fuzzCase, RawHttp.Response response, long millis,
                           List<String> problems) {}

    @Test
    void noRequestGetsA5xxOrAStackTraceAndTheServerServesOnAfterwards() {
        long seed = Long.getLong("tasker.fuzz.seed", System.currentTimeMillis());
        int cases = Integer.getInteger("tasker.fuzz.cases", DEFAULT_CASES);
        Integer only = Integer.getInteger("tasker.fuzz.case");
        List<Integer> indexes = only != null ? List.of(only) : IntStream.range(0, cases).boxed().toList();
        System.out.printf("API fuzzer: seed %d, %d cases (repeat with -Dtasker.fuzz.seed=%d -Dtasker.fuzz.cases=%d)%n",
                seed, indexes.size(), seed, cases);

        try (RunningTasker tasker = RunningTasker.start()) {
            Http http = new Http(tasker.url());
            Tasks tasks = new Tasks(http);
            // Tasks for the cases to read and act on: one complete, one that ends in error.
            List<String> existing = List.of(
                    tasks.create("linear_workflow", "{\"even_number\": 2, \"fuzz_seed\": " + seed + "}"),
                    tasks.create("order_fulfillment", "{\"order_id\": \"fuzz-" + seed + "\", \"invalid\": true}"));
            List<String> steps = new ArrayList<>();
            for (String id : existing) {
                tasks.awaitFinished(id).json().path("steps")
                        .forEach(step -> steps.add(step.path("step_uuid").asText()));
            }
            FuzzCases generator = new FuzzCases(seed, existing, steps, cases >= LIMITS_FROM);

            long started = System.nanoTime();
            List<Outcome> outcomes = new ArrayList<>();
            for (int index : indexes) {
                outcomes.add(send(tasker.port(), index, generator.get(index)));
                if (outcomes.size() % 500 == 0) {
                    System.out.printf("  %d cases sent%n", outcomes.size());
                }
            }
            System.out.printf("  %d cases sent in %.1f s%n", outcomes.size(), (System.nanoTime() - started) / 1e9);
            outcomes.addAll(readBack(tasker.port(), http, outcomes));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            List<Outcome> failed = outcomes.stream().filter(outcome -> !outcome.problems().isEmpty()).toList();
            System.out.print(summary(seed, outcomes, failed, took));

            assertServesOn(http, tasks, seed);
            assertThat(failed).withFailMessage(() -> report(seed, cases, failed)).isEmpty();
        }
    }

    private static Outcome send(int port, int index, FuzzCase fuzzCase) {
        long sent = System.nanoTime();
        RawHttp.Response response = RawHttp.exchange(port, fuzzCase.request(), fuzzCase.halfClose(), ANSWER_TIMEOUT);
        long millis = (System.nanoTime() - sent) / 1_000_000;
        return new Outcome(index, fuzzCase, response, millis, FuzzVerdict.problems(fuzzCase.request(), response));
    }

    /**
     * What was accepted must read back: every task a case created (once its steps have run, so
     * their results are read too), its history, and the lists. Each must answer 200.
     */
    private static List<Outcome> readBack(int port, Http http, List<Outcome> outcomes) {
        long waited = System.nanoTime();
        try {
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() ->
                    Stream.of("pending", "in_progress").allMatch(state ->
                            isEmptyList(http.get("/v1/tasks?limit=1&state=" + state).json().path("tasks"))));
        } catch (ConditionTimeoutException e) {
            System.out.println("  some tasks still run after " + SETTLE_TIMEOUT.toSeconds()
                    + " s; reading them as they are");
        }
        System.out.printf("  waited %.1f s for the tasks the cases created to finish%n",
                (System.nanoTime() - waited) / 1e9);
        List<FuzzCase> reads = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            String location = outcome.response().status() == 201 ? outcome.response().header("Location") : null;
            if (location != null) {
                reads.add(read("what case " + outcome.index() + " created", location));
                reads.add(read("the history of what case " + outcome.index() + " created", location + "/transitions"));
            }
        }
        for (String state : List.of("", "pending", "in_progress", "complete", "error", "cancelled")) {
            reads.add(read("the task list", "/v1/tasks?limit=" + LIST_LIMIT
                    + (state.isEmpty() ? "" : "&state=" + state)));
        }
        return reads.stream().map(read -> {
            Outcome outcome = send(port, -1, read);
            return outcome.response().status() == 200 || !outcome.problems().isEmpty() ? outcome
                    : new Outcome(-1, read, outcome.response(), outcome.millis(),
                            List.of("answered " + outcome.response().status() + " reading what was accepted"));
        }).toList();
    }

    /** An empty array; anything else (a changed answer too) keeps the wait going, up to its limit. */
    private static boolean isEmptyList(JsonNode tasks) {
        return tasks.isArray() && tasks.isEmpty();
    }

    private static FuzzCase read(String what, String target) {
        return FuzzCase.http(FuzzCase.Category.READ_BACK, "reading " + what, "GET", target, List.of(), (byte[]) null);
    }

    /** Health answers at once and a normal task still runs to its result. */
    private static void assertServesOn(Http http, Tasks tasks, long seed) {
        long asked = System.nanoTime();
        Http.Response health = http.get("/health");
        Duration healthTook = Duration.ofNanos(System.nanoTime() - asked);
        assertThat(health.status()).as(health.body()).isEqualTo(200);
        assertThat(healthTook).as("GET /health after the fuzz run").isLessThan(Duration.ofSeconds(3));

        String id = tasks.create("linear_workflow", "{\"even_number\": 6, \"after_fuzz\": \"" + seed + "-"
                + UUID.randomUUID() + "\"}");
        Http.Response finished = tasks.awaitFinished(id);
        assertThat(finished.json().path("state").asText()).as(finished.body()).isEqualTo("complete");
        assertThat(Tasks.step(finished.json(), "step_d").path("results").path("value").asText())
                .isEqualTo("2821109907456");
    }

    private static String summary(long seed, List<Outcome> outcomes, List<Outcome> failed, Duration took) {
        Map<FuzzCase.Category, Map<Integer, Long>> statusesByCategory = new EnumMap<>(FuzzCase.Category.class);
        Map<Integer, Long> statuses = new TreeMap<>();
        for (Outcome outcome : outcomes) {
            statusesByCategory.computeIfAbsent(outcome.fuzzCase().category(), c -> new TreeMap<>())
                    .merge(outcome.response().status(), 1L, Long::sum);
            statuses.merge(outcome.response().status(), 1L, Long::sum);
        }
        long reads = outcomes.stream().filter(o -> o.fuzzCase().category() == FuzzCase.Category.READ_BACK).count();
        long atLeast500 = outcomes.stream().filter(o -> o.response().status() >= 500).count();
        long versionRefused = outcomes.stream().filter(o -> o.response().status() == 505
                && FuzzVerdict.unsupportedVersion(RawHttp.requestLine(o.fuzzCase().request()))).count();
        StringBuilder out = new StringBuilder(String.format("API fuzzer summary: seed %d, %d cases and %d read-backs "
                        + "in %.1f s, %d failed, %d answers >= 500 (%d of them 505 to an HTTP version other than 1.0 "
                        + "and 1.1)%n  statuses: %s%n", seed, outcomes.size() - reads, reads, took.toMillis() / 1000.0,
                failed.size(), atLeast500, versionRefused, statuses));
        statusesByCategory.forEach((category, byStatus) -> out.append(String.format("  %-15s %5d  %s%n", category,
                byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus)));
        out.append("  slowest:\n");
        outcomes.stream().sorted(Comparator.comparingLong(Outcome::millis).reversed()).limit(5)
                .forEach(o -> out.append(String.format("    %6d ms  case %d, %s%n", o.millis(), o.index(),
                        o.fuzzCase().description().lines().findFirst().orElse(""))));
        return out.toString();
    }

    private static String report(long seed, int cases, List<Outcome> failed) {
        StringBuilder out = new StringBuilder(String.format("%d fuzz cases failed (seed %d); repeat case K alone with "
                + "-Dtasker.fuzz.seed=%d -Dtasker.fuzz.cases=%d -Dtasker.fuzz.case=K%n", failed.size(), seed, seed,
                cases));
        failed.stream().limit(FAILURES_SHOWN).forEach(o -> out.append(String.format("case %d (%s): %s%n  %s%n  -> %s%n",
                o.index(), o.fuzzCase().category(), String.join("; ", o.problems()), o.fuzzCase().description(),
                FuzzVerdict.excerpt(o.response().head()))));
        if (failed.size() > FAILURES_SHOWN) {
            out.append("... and ").append(failed.size() - FAILURES_SHOWN).append(" more\n");
        }
        return out.toString();
    }
}
