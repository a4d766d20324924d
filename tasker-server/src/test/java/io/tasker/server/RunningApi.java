package io.tasker.server;

import io.tasker.client.TaskerClient;
import io.tasker.server.api.ApiSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;

/**
 * A running Tasker for a test class, with a Java client of its API: register it with
 * {@code @RegisterExtension static final RunningApi api = new RunningApi();}. It starts before the
 * class's first test and stops after its last.
 */
public final class RunningApi implements BeforeAllCallback, AfterAllCallback {
    private final ApiSettings access;
    private RunningTasker tasker;
    private TaskerClient client;

    /** An open API, as {@code tasker dev} serves it without tokens. */
    public RunningApi() {
        this(ApiSettings.OPEN);
    }

    /** The API's access as {@code access} says, e.g. protected by tokens; {@link #client()} sends none. */
    public RunningApi(ApiSettings access) {
        this.access = access;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        tasker = RunningTasker.start(access);
        client = TaskerClient.create(tasker.url());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Also after a start that failed half way, without hiding why it failed.
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (tasker != null) {
                tasker.close();
            }
        }
    }

    public RunningTasker tasker() {
        return tasker;
    }

    public String url() {
        return tasker.url();
    }

    public TaskerClient client() {
        return client;
    }

    public ClientTasks tasks() {
        return new ClientTasks(client);
    }

    /** The environment a command line run against this API gets: {@code TASKER_URL}. */
    public Map<String, String> environment() {
        return Map.of("TASKER_URL", tasker.url());
    }
}
