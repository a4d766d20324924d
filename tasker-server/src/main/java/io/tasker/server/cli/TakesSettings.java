package io.tasker.server.cli;

import io.tasker.core.config.Setting;

import java.util.List;

/**
 * A command, or an option group mixed into commands, that uses settings: each becomes a flag of
 * the command, made from the setting ({@link SettingFlags}), and the command reads them with
 * {@link TaskerCommand#configuration}.
 */
interface TakesSettings {
    List<Setting<?>> settings();
}
