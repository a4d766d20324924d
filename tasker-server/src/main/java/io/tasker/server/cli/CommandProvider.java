package io.tasker.server.cli;

import java.util.List;

/**
 * Commands that a jar beside tasker.jar adds to {@code tasker}, found with
 * {@link java.util.ServiceLoader} through its
 * {@code META-INF/services/io.tasker.server.cli.CommandProvider} file. This is how
 * tasker-bench.jar adds {@code bench} and {@code chaos}, so that tasker.jar need not carry the
 * benchmark harness.
 */
public interface CommandProvider {

    /** Picocli command objects (annotated with {@code @Command}, which names them), added under {@code tasker}. */
    List<Object> commands();
}
