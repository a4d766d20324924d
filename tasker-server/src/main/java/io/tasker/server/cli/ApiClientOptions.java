package io.tasker.server.cli;

import io.tasker.client.TaskerClientOptions;
import io.tasker.core.config.ConfigException;
import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;

import java.util.List;

/** {@code --url} and {@code --token} of every command that talks to a running Tasker over HTTP. */
@Command // a mixin whose options SettingFlags makes
final class ApiClientOptions implements TakesSettings {
    @Override
    public List<Setting<?>> settings() {
        return List.of(Settings.CLIENT_URL, Settings.CLIENT_TOKEN);
    }

    /**
     * The client options for the configured API and token.
     *
     * @throws ConfigException for a URL or token that is not one, saying where it came from
     */
    static TaskerClientOptions options(Configuration config) {
        String url = config.get(Settings.CLIENT_URL);
        try {
            TaskerClientOptions.of(url);
        } catch (IllegalArgumentException e) {
            throw refused(e, config, Settings.CLIENT_URL);
        }
        try {
            return TaskerClientOptions.builder().baseUrl(url).token(config.get(Settings.CLIENT_TOKEN)).build();
        } catch (IllegalArgumentException e) {
            throw refused(e, config, Settings.CLIENT_TOKEN);
        }
    }

    private static ConfigException refused(IllegalArgumentException e, Configuration config, Setting<?> setting) {
        return new ConfigException(e.getMessage() + " (from " + config.where(setting) + ")");
    }
}
