package io.tasker.server.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The version the build stamped into the jar manifest ({@code Implementation-Version}). Running
 * from compiled classes (tests, an IDE) there is no manifest, so the same value is also kept in a
 * resource filtered by the build.
 */
final class TaskerVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"tasker " + version()};
    }

    static String version() {
        String fromManifest = TaskerVersion.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : fromResource();
    }

    private static String fromResource() {
        try (InputStream in = TaskerVersion.class.getResourceAsStream("/io/tasker/server/version.txt")) {
            return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
