package io.tasker.server.cli;

import io.tasker.core.config.TaskerConfig;
import io.tasker.core.db.Database;
import io.tasker.server.node.TaskerNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tasker worker}: runs steps from an external PostgreSQL with the Java handlers on the classpath. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run steps from an external PostgreSQL with the Java handlers found on the classpath.",
                "Serves the given namespaces, or every namespace with a registered template. Start as many as you "
                        + "need, on any machine that reaches the database. Ctrl-C finishes the steps in flight, then stops."})
final class WorkerCommand extends ForegroundProcess implements Callable<Integer> {
    static final int POOL_SIZE = 10;

    @Spec
    CommandSpec spec;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "A namespace to serve; repeatable (default: every namespace with a registered template).")
    List<String> namespaces = List.of();

    @Override
    public Integer call() throws Exception {
        TaskerConfig config = TaskerCommand.config(spec, database.flags());
        TaskerNode node = TaskerNode.on(Database.connect(DatabaseOptions.require(config), POOL_SIZE))
                .worker(namespaces)
                .start();
        PrintWriter out = spec.commandLine().getOut();
        return runUntilStopped(node, out, () -> {
            ReadyBanner banner = new ReadyBanner(out);
            out.println("Tasker worker is ready.");
            banner.parts(node);
            banner.line("database", node.database().url().toString());
            out.println("Press Ctrl-C to stop (steps in flight finish first).");
        });
    }
}
