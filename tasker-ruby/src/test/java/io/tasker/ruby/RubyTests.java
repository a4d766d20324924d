package io.tasker.ruby;

import org.jruby.RubyArray;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.jruby.api.Create.newString;

/**
 * Runs the minitest tests under {@code src/test/ruby} on the shared runtime, one JUnit test per
 * minitest test, grouped by test class, so the Maven build counts and reports them like Java
 * tests and a Ruby failure fails the build.
 */
class RubyTests {
    private static final Path TEST_DIR = Path.of("src", "test", "ruby").toAbsolutePath();

    private record RubyTest(String className, String methodName, String file, long line) {}

    @TestFactory
    Stream<DynamicNode> minitest() {
        IRubyObject runner = loadTests();
        ThreadContext context = RubyRuntime.get().getCurrentContext();
        Map<String, List<DynamicNode>> byClass = new LinkedHashMap<>();
        for (RubyTest test : list(context, runner)) {
            URI source = URI.create(Path.of(test.file()).toUri() + "?line=" + test.line());
            byClass.computeIfAbsent(test.className(), k -> new ArrayList<>())
                    .add(DynamicTest.dynamicTest(test.className() + "#" + test.methodName(), source, () -> run(runner, test)));
        }
        return byClass.entrySet().stream()
                .map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue().stream()));
    }

    private static IRubyObject loadTests() {
        RubyRuntime.eval("$LOAD_PATH.unshift(" + rubyString(TEST_DIR.toString()) + ") unless $LOAD_PATH.include?("
                + rubyString(TEST_DIR.toString()) + ")");
        RubyRuntime.require("test_helper");
        IRubyObject runner = RubyRuntime.eval("TaskerTest::JUnitRunner");
        ThreadContext context = RubyRuntime.get().getCurrentContext();
        runner.callMethod(context, "load_tests", newString(context, TEST_DIR.toString()));
        return runner;
    }

    private static List<RubyTest> list(ThreadContext context, IRubyObject runner) {
        List<RubyTest> tests = new ArrayList<>();
        for (Object row : (RubyArray<?>) runner.callMethod(context, "tests")) {
            List<?> fields = (List<?>) row;
            tests.add(new RubyTest((String) fields.get(0), (String) fields.get(1), (String) fields.get(2),
                    ((Number) fields.get(3)).longValue()));
        }
        return tests;
    }

    private static void run(IRubyObject runner, RubyTest test) {
        ThreadContext context = RubyRuntime.get().getCurrentContext();
        IRubyObject outcome = runner.callMethod(context, "run",
                new IRubyObject[] {newString(context, test.className()), newString(context, test.methodName())});
        if (outcome.isNil()) {
            return;
        }
        List<?> fields = (List<?>) outcome;
        String message = (String) fields.get(1);
        if ("skip".equals(fields.get(0))) {
            Assumptions.abort(message);
        }
        throw new AssertionFailedError(test.className() + "#" + test.methodName() + "\n" + message);
    }

    private static String rubyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
