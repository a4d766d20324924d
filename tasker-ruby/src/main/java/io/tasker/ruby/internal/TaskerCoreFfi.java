package io.tasker.ruby.internal;

import org.jruby.Ruby;
import org.jruby.RubyHash;
import org.jruby.RubyModule;
import org.jruby.anno.JRubyMethod;
import org.jruby.anno.JRubyModule;
import org.jruby.runtime.ThreadContext;
import org.jruby.runtime.builtin.IRubyObject;

import static org.jruby.api.Convert.asBoolean;
import static org.jruby.api.Convert.asSymbol;
import static org.jruby.api.Create.newHash;
import static org.jruby.api.Create.newString;
import static org.jruby.api.Define.defineModule;
import static org.jruby.api.Error.argumentError;
import static org.jruby.api.Error.runtimeError;

/** {@code TaskerCore::FFI}: the design note's bridge functions, defined in Java. */
@JRubyModule(name = "TaskerCore::FFI")
public final class TaskerCoreFfi {
    private TaskerCoreFfi() {}

    /** Defines {@code TaskerCore::FFI} in {@code runtime}; calling it again changes nothing. */
    public static void define(Ruby runtime) {
        ThreadContext context = runtime.getCurrentContext();
        RubyModule taskerCore = defineModule(context, "TaskerCore");
        if (taskerCore.getConstantAt(context, "FFI") != null) {
            return;
        }
        RubyModule ffi = taskerCore.defineModuleUnder(context, "FFI");
        ffi.defineAnnotatedMethods(TaskerCoreFfi.class);
    }

    @JRubyMethod(name = "worker_status", module = true)
    public static IRubyObject workerStatus(ThreadContext context, IRubyObject self) {
        RubyHash hash = newHash(context);
        hash.op_aset(context, asSymbol(context, "running"), asBoolean(context, false));
        hash.op_aset(context, asSymbol(context, "error"), newString(context, "Worker system not initialized"));
        return hash;
    }

    @JRubyMethod(name = "send_step_completion_event", module = true)
    public static IRubyObject sendStepCompletionEvent(ThreadContext context, IRubyObject self, IRubyObject completion) {
        try {
            RubyConversions.toCompletion(context, completion);
        } catch (InvalidCompletionException e) {
            throw argumentError(context, e.getMessage());
        }
        throw runtimeError(context, "Worker system not initialized");
    }
}
