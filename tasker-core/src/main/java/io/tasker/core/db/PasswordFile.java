package io.tasker.core.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The password of an embedded PostgreSQL: generated once for its data directory and kept there,
 * in {@code .tasker-password}, which only the directory's owner can read, so every start of the
 * server, and every Tasker command pointed at it, uses the same one. tasker-dev's embedded
 * database writes it; this reads it, for the commands that connect to that server.
 */
public final class PasswordFile {
    public static final String NAME = ".tasker-password";
    /** {@code postmaster.pid}'s fourth line is the port the server listens on. */
    private static final int PORT_LINE = 3;

    private PasswordFile() {}

    public static Path of(Path dataDirectory) {
        return dataDirectory.resolve(NAME);
    }

    public static Optional<String> read(Path dataDirectory) throws IOException {
        Path file = of(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String password = Files.readString(file).strip();
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    /**
     * The password of the embedded PostgreSQL running on {@code dataDirectory}, for a URL that
     * gives none and names that server: a loopback host and the port in its {@code postmaster.pid}.
     * This is how {@code --database-url postgresql://postgres@localhost:PORT/postgres}, as
     * {@code tasker dev} prints it, reaches that server without the password on the command line.
     */
    public static Optional<String> forServer(DatabaseUrl url, Path dataDirectory) {
        if (url.hasPassword() || !url.host().map(PasswordFile::isLoopback).orElse(false) || url.port().isEmpty()) {
            return Optional.empty();
        }
        try {
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() <= PORT_LINE || !lines.get(PORT_LINE).strip().equals(Integer.toString(url.port().getAsInt()))) {
                return Optional.empty();
            }
            return read(dataDirectory);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }
}
