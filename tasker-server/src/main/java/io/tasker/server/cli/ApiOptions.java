package io.tasker.server.cli;

import io.tasker.core.config.Configuration;
import io.tasker.core.config.Setting;
import io.tasker.server.api.ApiSettings;
import io.tasker.server.api.ApiTokens;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a command that serves the REST API listens ({@code --host}, {@code --port}) and who may
 * use it ({@code --api-tokens}, {@code --allow-origin}, {@code --allow-host}).
 */
@Command // a mixin whose options SettingFlags makes
final class ApiOptions implements TakesSettings {
    @Override
    public List<Setting<?>> settings() {
        return Settings.API;
    }

    /** Tokens, origins and host names, the tokens file read (a file that cannot be is an error). */
    static ApiSettings settings(Configuration config) {
        Path file = config.get(Settings.API_TOKENS_FILE);
        return new ApiSettings(file == null ? ApiTokens.NONE : ApiTokens.read(file),
                config.find(Settings.API_ALLOWED_ORIGINS).orElse(List.of()),
                config.find(Settings.API_ALLOWED_HOSTS).orElse(List.of()));
    }
}
