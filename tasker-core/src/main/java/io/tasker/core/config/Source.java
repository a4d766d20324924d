package io.tasker.core.config;

/** Where the value of a setting came from. */
public sealed interface Source {
    /** As {@code tasker config show} says it: {@code flag --slots}, {@code env TASKER_WORKER_SLOTS}. */
    String describe();

    /** Whether the user gave it (a flag, a variable, a file), rather than a default. */
    default boolean given() {
        return true;
    }

    record Flag(String flag) implements Source {
        @Override
        public String describe() {
            return "flag " + flag;
        }
    }

    record Environment(String variable) implements Source {
        @Override
        public String describe() {
            return "env " + variable;
        }
    }

    /** A line of a configuration file; {@code file} as the user named it. */
    record File(String file, int line) implements Source {
        @Override
        public String describe() {
            return "file " + file + ":" + line;
        }
    }

    record Default() implements Source {
        @Override
        public String describe() {
            return "default";
        }

        @Override
        public boolean given() {
            return false;
        }
    }

    /** Computed from the setting {@code from}, as {@code how} says. */
    record Derived(String from, String how) implements Source {
        @Override
        public String describe() {
            return "derived from " + from + (how.equals(from) ? "" : " (" + how + ")");
        }

        @Override
        public boolean given() {
            return false;
        }
    }
}
