package io.tasker.dev;

import java.nio.file.Path;

/** A process of its own that starts an embedded PostgreSQL on a folder, says so, and waits to be killed. */
public final class EmbeddedDatabaseOwner {
    private EmbeddedDatabaseOwner() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedDatabase.start(Path.of(args[0]), 0, true);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
