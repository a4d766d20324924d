package io.tasker.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands Tasker suggests name it as the user runs it: {@code tasker}, {@code bin/tasker}, or the jar. */
class ProgramNameTest {

    @Test
    void whatTheLauncherSaysWinsElseTheJarElseTasker() {
        assertThat(ProgramName.of("bin/tasker", "/opt/tasker.jar dev")).isEqualTo("bin/tasker");
        assertThat(ProgramName.of("/home/me/my tools/tasker", null)).isEqualTo("'/home/me/my tools/tasker'");
        assertThat(ProgramName.of(null, "/opt/tasker/tasker.jar dev --port 0")).isEqualTo("java -jar /opt/tasker/tasker.jar");
        assertThat(ProgramName.of(null, "io.tasker.server.cli.TaskerCommand dev")).isEqualTo("tasker");
        assertThat(ProgramName.of("", null)).isEqualTo("tasker");
    }

    /**
     * The launcher, copied into a folder laid out as a checkout with a jar that prints what it was
     * told: called by its path it says that path, found on the PATH it says its name.
     */
    @Test
    void theLauncherSaysHowItWasCalled(@TempDir Path checkout) throws Exception {
        Path launcher = checkout.resolve("bin/tasker");
        Files.createDirectories(launcher.getParent());
        Files.copy(Path.of("..", "bin", "tasker"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        writeProbeJar(checkout.resolve("tasker-server/target/tasker.jar"));
        String java = System.getProperty("java.home");

        assertThat(run(checkout, "bin/tasker", Map.of("JAVA_HOME", java, "PATH", "/usr/bin:/bin")))
                .isEqualTo("bin/tasker");
        assertThat(run(checkout, "tasker", Map.of("JAVA_HOME", java, "PATH", launcher.getParent() + ":/usr/bin:/bin")))
                .isEqualTo("tasker");
    }

    /** {@code command} as a user types it in a shell in {@code directory}. */
    private static String run(Path directory, String command, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.strip();
    }

    /** A jar whose main class prints the {@code tasker.program} property. */
    private static void writeProbeJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ProgramProbe.class.getName());
        String entry = ProgramProbe.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             var classFile = ProgramProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }
}
