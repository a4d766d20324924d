package io.tasker.bench.internal;

import io.tasker.core.db.DatabaseUrl;
import io.tasker.core.internal.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Ruby worker started as a Ruby application starts one, through
 * {@code TaskerCore::Worker::Bootstrap.start!}: the bridge opens its own pool and runs the steps
 * in the Ruby handlers. One per JVM, as the bridge allows.
 */
final class RubyWorker implements AutoCloseable {

    private RubyWorker() {}

    static RubyWorker start(DatabaseUrl url, List<String> namespaces, int slots) {
        var config = Json.MAPPER.createObjectNode()
                .put("worker_id", "bench-ruby-" + namespaces.getFirst() + "-" + System.nanoTime())
                .put("environment", "bench")
                .put("database_url", withCredentials(url))
                .put("max_concurrent_steps", slots)
                .put("trap_signals", false);
        namespaces.forEach(config.putArray("namespaces")::add);
        RubyBench.call("start_worker", Json.write(config));
        return new RubyWorker();
    }

    /** The bridge takes one URL string, so the user and password travel in it. */
    static String withCredentials(DatabaseUrl url) {
        StringBuilder jdbc = new StringBuilder(url.jdbcUrl());
        char separator = url.jdbcUrl().contains("?") ? '&' : '?';
        if (url.user() != null) {
            jdbc.append(separator).append("user=").append(URLEncoder.encode(url.user(), StandardCharsets.UTF_8));
            separator = '&';
        }
        if (url.password() != null) {
            jdbc.append(separator).append("password=")
                    .append(URLEncoder.encode(url.password(), StandardCharsets.UTF_8));
        }
        return jdbc.toString();
    }

    @Override
    public void close() {
        RubyBench.call("stop_worker");
    }
}
