package io.tasker.bench.internal;

import io.tasker.ruby.RubyRuntime;
import org.jruby.Ruby;
import org.jruby.runtime.builtin.IRubyObject;

import static org.jruby.api.Create.newString;

/**
 * The benchmarks' Ruby side ({@code tasker_bench.rb}, loaded once into the one JRuby runtime),
 * called through its module functions.
 */
final class RubyBench {
    private static final Object LOAD = new Object();
    private static volatile IRubyObject module;

    private RubyBench() {}

    /** Calls {@code TaskerBench.<function>} with String arguments. */
    static IRubyObject call(String function, String... args) {
        Ruby ruby = RubyRuntime.get();
        var context = ruby.getCurrentContext();
        IRubyObject[] rubyArgs = new IRubyObject[args.length];
        for (int i = 0; i < args.length; i++) {
            rubyArgs[i] = newString(context, args[i]);
        }
        return module().callMethod(context, function, rubyArgs);
    }

    private static IRubyObject module() {
        IRubyObject loaded = module;
        if (loaded == null) {
            synchronized (LOAD) {
                loaded = module;
                if (loaded == null) {
                    RubyRuntime.require("tasker_bench");
                    loaded = RubyRuntime.eval("TaskerBench");
                    module = loaded;
                }
            }
        }
        return loaded;
    }
}
