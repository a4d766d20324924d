package io.tasker.core.db;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The password of an embedded PostgreSQL: generated once for its data directory and kept there,
 * in {@code .tasker-password}, which only the directory's owner can read, so every start of the
 * server, and every Tasker command pointed at it, uses the same one.
 */
public final class PasswordFile {
    public static final String NAME = ".tasker-password";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** {@code postmaster.pid}'s fourth line is the port the server listens on. */
    private static final int PORT_LINE = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordFile() {}

    public static Path of(Path dataDirectory) {
        return dataDirectory.resolve(NAME);
    }

    /** 128 random bits in hex: nothing to escape in a URL, a shell or SQL. */
    static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static Optional<String> read(Path dataDirectory) throws IOException {
        Path file = of(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String password = Files.readString(file).strip();
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    /** Writes the password, readable by the owner only from the moment the file exists. */
    static void write(Path dataDirectory, String password) throws IOException {
        Path written = ownerOnlyTempFile(dataDirectory);
        try {
            Files.writeString(written, password + "\n");
            Files.move(written, of(dataDirectory), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    /** A new empty file only the owner can read, in {@code directory} or, when null, the system's temporary folder. */
    static Path ownerOnlyTempFile(Path directory) throws IOException {
        FileAttribute<?>[] ownerOnly = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        return directory == null ? Files.createTempFile("tasker-password", ".tmp", ownerOnly)
                : Files.createTempFile(directory, NAME, ".tmp", ownerOnly);
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
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
