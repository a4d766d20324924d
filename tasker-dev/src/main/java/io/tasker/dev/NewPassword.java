package io.tasker.dev;

import io.tasker.core.db.PasswordFile;

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
import java.util.Set;

/** The writing side of {@link PasswordFile}: a new password, and files only their owner can read. */
final class NewPassword {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NewPassword() {}

    /** 128 random bits in hex: nothing to escape in a URL, a shell or SQL. */
    static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Writes the password, readable by the owner only from the moment the file exists. */
    static void write(Path dataDirectory, String password) throws IOException {
        Path written = ownerOnlyTempFile(dataDirectory);
        try {
            Files.writeString(written, password + "\n");
            Files.move(written, PasswordFile.of(dataDirectory), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    /** A new empty file only the owner can read, in {@code directory} or, when null, the system's temporary folder. */
    static Path ownerOnlyTempFile(Path directory) throws IOException {
        FileAttribute<?>[] ownerOnly = posix() ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        return directory == null ? Files.createTempFile("tasker-password", ".tmp", ownerOnly)
                : Files.createTempFile(directory, PasswordFile.NAME, ".tmp", ownerOnly);
    }

    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
