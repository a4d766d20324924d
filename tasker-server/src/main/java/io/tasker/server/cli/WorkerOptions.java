package io.tasker.server.cli;

import io.tasker.core.config.Setting;
import io.tasker.server.config.Settings;
import picocli.CommandLine.Command;

import java.util.List;

/** The settings of the commands that run workers: slots, leases, polling, shutdown, namespaces. */
@Command // a mixin whose options SettingFlags makes
final class WorkerOptions implements TakesSettings {
    @Override
    public List<Setting<?>> settings() {
        return Settings.WORKER;
    }
}
