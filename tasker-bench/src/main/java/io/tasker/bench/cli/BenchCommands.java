package io.tasker.bench.cli;

import io.tasker.server.cli.CommandProvider;

import java.util.List;

/** Adds {@code bench} and {@code chaos} to {@code tasker} when tasker-bench.jar is on the classpath. */
public final class BenchCommands implements CommandProvider {

    @Override
    public List<Object> commands() {
        return List.of(new BenchCommand(), new ChaosCommand());
    }
}
