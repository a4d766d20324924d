package io.tasker.ruby;

import io.tasker.ruby.internal.TaskerCoreFfi;
import org.jruby.Ruby;
import org.jruby.RubyInstanceConfig;
import org.jruby.runtime.builtin.IRubyObject;

import java.util.List;

/**
 * The one JRuby runtime of this JVM. Starting JRuby costs seconds and every Ruby handler, the
 * bridge and the Ruby tests must see the same {@code TaskerCore} constants, so there is exactly
 * one, created on first use and never torn down while the JVM lives.
 *
 * <p>The Ruby layer ships inside this module's jar; the runtime's load path is the classpath root,
 * so {@code require 'tasker_core'} works from a jar as well as from {@code target/classes}.
 * {@code TaskerCore::FFI} is defined from Java before the Ruby layer loads.
 */
public final class RubyRuntime {
    /** The load-path entry that resolves {@code require} against the classpath. */
    public static final String CLASSPATH_LOAD_PATH = "uri:classloader:/";

    private static volatile Ruby runtime;

    private RubyRuntime() {}

    /** The shared runtime with {@code tasker_core} loaded. */
    public static Ruby get() {
        Ruby r = runtime;
        if (r == null) {
            synchronized (RubyRuntime.class) {
                r = runtime;
                if (r == null) {
                    r = start();
                    runtime = r;
                }
            }
        }
        return r;
    }

    /** Requires a Ruby feature (a file on the load path) in the shared runtime. */
    public static void require(String feature) {
        Ruby r = get();
        r.getLoadService().require(feature);
    }

    /** Evaluates a snippet in the shared runtime; meant for tools and tests, not the hot path. */
    public static IRubyObject eval(String script) {
        return get().evalScriptlet(script);
    }

    private static Ruby start() {
        RubyInstanceConfig config = new RubyInstanceConfig();
        config.setLoader(RubyRuntime.class.getClassLoader());
        config.setLoadPaths(List.of(CLASSPATH_LOAD_PATH));
        // An exit from Ruby code must never take the host JVM down with it.
        config.setHardExit(false);
        Ruby r = Ruby.newInstance(config);
        TaskerCoreFfi.define(r);
        r.getLoadService().require("tasker_core");
        return r;
    }
}
