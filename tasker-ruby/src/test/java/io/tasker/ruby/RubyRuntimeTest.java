package io.tasker.ruby;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RubyRuntimeTest {
    /**
     * Handlers' gems are found through RubyGems, which reads GEM_PATH and GEM_HOME from the
     * runtime's ENV: that must be the process's environment, so {@code GEM_PATH=DIR tasker worker}
     * finds what {@code gem install --install-dir DIR} put there.
     */
    @Test
    void theRuntimeSeesTheProcessEnvironmentAndLoadsRubyGems() {
        assertThat(RubyRuntime.eval("ENV['PATH']").asJavaString()).isEqualTo(System.getenv("PATH"));
        assertThat(RubyRuntime.eval("defined?(Gem::Specification) ? 'yes' : 'no'").asJavaString()).isEqualTo("yes");
        assertThat(RubyRuntime.eval("ENV['GEM_PATH'].to_s").asJavaString())
                .isEqualTo(System.getenv().getOrDefault("GEM_PATH", ""));
    }
}
