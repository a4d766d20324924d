package io.tasker.bench.chaos.internal;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The main class of a chaos run's server and worker processes: runs {@code MAIN_CLASS ARGS...}
 * (the {@code tasker} command) unchanged, and exits, through the command's own shutdown path, as
 * SIGTERM would, when its stdin closes. The driver holds the other end of that pipe, and the
 * operating system closes it however the driver ends, even by {@code kill -9}: no process of a
 * run outlives its driver.
 */
public final class Tether {
    private Tether() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Tether MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        Thread.ofPlatform().daemon().name("chaos-tether").start(() -> {
            try {
                System.in.transferTo(OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
                // A broken pipe is the driver gone, as an end of input is.
            }
            System.exit(0);
        });
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
