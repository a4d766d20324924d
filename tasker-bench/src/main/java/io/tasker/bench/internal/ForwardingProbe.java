package io.tasker.bench.internal;

import io.tasker.ruby.RubyRuntime;
import io.tasker.ruby.internal.RubyConversions;
import io.tasker.ruby.internal.RubyEventHandler;
import org.jruby.runtime.builtin.IRubyObject;

/**
 * What {@code ruby-forwarding} reads from inside Ruby. Static, because Ruby reaches Java classes
 * by name: the handler's first line calls {@link #entered()}, and the benchmark's completion route
 * calls {@link #complete}. One forwarding benchmark runs at a time.
 */
public final class ForwardingProbe {
    private static volatile long enteredAt;
    private static volatile RubyEventHandler handler;

    private ForwardingProbe() {}

    /** Called by the Ruby handler first thing: when Ruby code got the step. */
    public static void entered() {
        enteredAt = System.nanoTime();
    }

    /** Hands a completion Hash to the benchmark's {@link RubyEventHandler}, as {@code TaskerCore::FFI} would. */
    public static boolean complete(IRubyObject completion) {
        RubyEventHandler target = handler;
        if (target == null) {
            throw new IllegalStateException("no forwarding benchmark is running");
        }
        return target.complete(RubyConversions.toCompletion(RubyRuntime.get().getCurrentContext(), completion));
    }

    static long enteredAt() {
        return enteredAt;
    }

    static void attach(RubyEventHandler eventHandler) {
        handler = eventHandler;
    }

    static void detach() {
        handler = null;
    }
}
