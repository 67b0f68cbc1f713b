package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that crashes writes a log of raw memory from around the crash (keys and plaintexts included). The
 * {@code ./panolm} launcher must keep it private whatever the user's umask: before, a crash in a shell with the
 * usual umask 022 left a world-readable {@code hs_err_pid*.log} in the working directory. The crash is forced
 * the way a real one would end the process: an out-of-memory error with {@code -XX:+CrashOnOutOfMemoryError},
 * given through {@code JAVA_TOOL_OPTIONS} so that the launcher's own command line is what runs.
 */
class CrashLogIT {
    @TempDir
    Path home;

    @Test
    void aCrashLogIsPrivateAndOutsideTheWorkingDirectory() throws Exception {
        Path launcher = Cli.jar().toAbsolutePath().getParent().getParent().getParent().resolve("panolm");
        assertTrue(Files.isExecutable(launcher), launcher.toString());
        Path work = Files.createDirectory(home.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", "umask 022; exec \"$0\" demo --messages 2000",
                launcher.toString());
        pb.directory(work.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_STATE_HOME");
        pb.environment().remove("PANOLM_CRASH_DIR");
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xmx4m -XX:+CrashOnOutOfMemoryError");
        pb.redirectErrorStream(true);   // the JVM reports a crash on standard output
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the launcher finished");
        assertNotEquals(0, p.exitValue(), "the JVM crashed: " + output);

        try (Stream<Path> left = Files.list(work)) {
            assertEquals(List.of(), left.toList(), "nothing written into the working directory");
        }
        Path crashDir = home.resolve(".local/state/panolm/crash");
        List<Path> logs;
        try (Stream<Path> files = Files.list(crashDir)) {
            logs = files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid")).toList();
        }
        assertEquals(1, logs.size(), "one crash log in " + crashDir + "; output: " + output);
        assertTrue(output.contains(logs.get(0).toString()), "the JVM names where the log is: " + output);
        assertEquals("rw-------", permissions(logs.get(0)));
        // A crash in a compiler thread also leaves the JIT's replay file: private and beside the log when it exists.
        try (Stream<Path> files = Files.list(crashDir)) {
            for (Path replay : files.filter(f -> f.getFileName().toString().startsWith("replay_pid")).toList()) {
                assertEquals("rw-------", permissions(replay), replay.toString());
            }
        }
        assertEquals("rwx------", permissions(crashDir));
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
