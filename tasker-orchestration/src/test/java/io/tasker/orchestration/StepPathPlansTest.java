package io.tasker.orchestration;

import io.tasker.core.internal.Json;
import io.tasker.core.queue.ClaimedStep;
import io.tasker.core.state.TaskState;
import io.tasker.core.template.TemplateRegistry;
import io.tasker.core.testing.EveryServerTest;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.logging.Logger;

import static io.tasker.orchestration.TaskCreatorTest.json;
import static io.tasker.orchestration.TaskCreatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The step path's statements are planned once per connection, the first time they run, and the
 * plan is kept. Here that first time meets empty tables, where a sequential scan looks cheapest;
 * the plans must still be index lookups, or they would scan every task and step ever stored for
 * the rest of the connection's life. The plans are read with {@code auto_explain}, which reports
 * the plan of every statement inside the functions to the session.
 */
class StepPathPlansTest extends EveryServerTest {
    private static final String WORKER = "w1";

    @Test
    void theStepPathReadsTasksAndStepsByIndexWhateverTheirSizeWhenPlanned() throws SQLException {
        new TemplateRegistry(dataSource).register(template(TaskCreatorTest.FAN_IN), null);
        List<String> plans = plansOfRunning("shipping", "fan_in",
                i -> "{\"even_number\": %d, \"label\": \"x\"}".formatted(2 * i), step -> 1);

        assertThat(plans).as("plans reported").anySatisfy(plan -> assertThat(plan).contains("tasker_steps_claimable"));
        assertThat(plans).anySatisfy(plan -> assertThat(plan).contains("tasker_steps_task_position"));
        assertIndexLookupsOnly(plans);
    }

    @Test
    void decisionsAreReadAndTheirTasksGrownByIndexToo() throws SQLException {
        new TemplateRegistry(dataSource).register(template(DecisionPointsTest.ROUTING), null);
        List<String> plans = plansOfRunning("approvals", "routing", i -> "{\"n\": %d}".formatted(i),
                step -> step.stepName().equals("routing_decision")
                        ? Json.parse("{\"decision_point_outcome\": {\"type\": \"create_steps\", "
                                + "\"step_names\": [\"manager_approval\", \"finance_review\"]}}")
                        : 1);

        assertThat(plans).as("plans reported").anySatisfy(plan -> assertThat(plan).contains("tasker_grow_tasks"));
        assertIndexLookupsOnly(plans);
    }

    private static void assertIndexLookupsOnly(List<String> plans) {
        assertThat(plans).noneSatisfy(plan -> assertThat(plan).containsPattern("Seq Scan on tasker_(steps|tasks)"));
        assertThat(plans).noneSatisfy(plan -> assertThat(plan).containsPattern("Hash Join|Merge Join"));
    }

    /**
     * The plans of every statement the step path ran for ten tasks of {@code namespace/name}, on
     * one session, each step finished with {@code result}; the tasks ran to the end.
     */
    private List<String> plansOfRunning(String namespace, String name, IntFunction<String> context,
                                        Function<ClaimedStep, Object> result) throws SQLException {
        List<String> plans = new ArrayList<>();
        try (Connection session = db.database().connection()) {
            try (Statement setup = session.createStatement()) {
                setup.execute("load 'auto_explain'");
                setup.execute("set auto_explain.log_min_duration = 0");
                setup.execute("set auto_explain.log_nested_statements = on");
                setup.execute("set client_min_messages = log");
            }
            DataSource one = plansOf(session, plans);
            TaskCreator creator = new TaskCreator(one, new TemplateRegistry(dataSource));
            ResultRecorder recorder = new ResultRecorder(one);
            for (int i = 0; i < 10; i++) {
                creator.create(TaskRequest.of(namespace, name, json(context.apply(i))));
            }
            EagerClaim slots = new EagerClaim(WORKER, List.of(namespace), 8, Duration.ofMinutes(1));
            List<ClaimedStep> running = recorder.cycle(WORKER, List.of(), slots).claimed();
            int cycles = 0;
            while (!running.isEmpty()) {
                List<FinishedStep> finished = new ArrayList<>();
                for (ClaimedStep step : running) {
                    finished.add(FinishedStep.of(step, new StepOutcome.Success(
                            Json.MAPPER.valueToTree(result.apply(step)), null)));
                }
                running = recorder.cycle(WORKER, finished, slots).claimed();
                cycles++;
            }
            assertThat(cycles).isGreaterThan(3);
        }
        assertThat(new TaskQueries(dataSource).list(TaskFilter.ALL, 20, null).items())
                .allSatisfy(summary -> assertThat(summary.task().state()).isEqualTo(TaskState.COMPLETE));
        return plans;
    }

    /**
     * A data source that always lends {@code session}, and keeps the plans the server reported to it
     * (as warnings of each statement) before the statement closes.
     */
    private static DataSource plansOf(Connection session, List<String> plans) {
        InvocationHandler connection = (proxy, method, args) -> {
            if (method.getName().equals("close")) {
                return null;
            }
            Object result = invoke(session, method, args);
            if (result instanceof PreparedStatement statement) {
                return Proxy.newProxyInstance(StepPathPlansTest.class.getClassLoader(),
                        new Class<?>[] {PreparedStatement.class}, (p, m, a) -> {
                            if (m.getName().equals("close")) {
                                for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
                                    plans.add(w.getMessage());
                                }
                            }
                            return invoke(statement, m, a);
                        });
            }
            return result;
        };
        Connection lent = (Connection) Proxy.newProxyInstance(StepPathPlansTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, connection);
        return new DataSource() {
            @Override
            public Connection getConnection() {
                return lent;
            }

            @Override
            public Connection getConnection(String user, String password) {
                return lent;
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> type) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isWrapperFor(Class<?> type) {
                return false;
            }
        };
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
