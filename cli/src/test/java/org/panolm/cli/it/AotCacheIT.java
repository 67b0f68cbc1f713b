package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./panolm} launcher's AOT cache: made by the first command (before it, in a JVM of its own),
 * used by the next ones, made again when older than the jar, and never in the way: a damaged cache or none
 * at all still runs the command with the same standard output.
 */
class AotCacheIT {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {}

    private Run launcher(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Cli.jar().toAbsolutePath().getParent().getParent().getParent().resolve("panolm");
        assertTrue(Files.isExecutable(launcher), launcher.toString());
        var command = new java.util.ArrayList<String>();
        command.add(launcher.toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.environment().remove("PANOLM_JAVA_OPTS");
        Path err = dir.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the launcher finished");
        return new Run(p.exitValue(), out, Files.readString(err));
    }

    @Test
    void madeOnFirstUseThenUsedAndRemadeWhenStale() throws Exception {
        Path cache = dir.resolve("panolm.aot");
        Map<String, String> env = Map.of("PANOLM_AOT_CACHE", cache.toString());
        Run plain = launcher(Map.of("PANOLM_AOT_CACHE", "off"), "--version");
        assertEquals(0, plain.status(), plain.err());
        assertFalse(Files.exists(cache));

        Run first = launcher(env, "--version");
        assertEquals(0, first.status(), first.err());
        assertEquals(plain.out(), first.out(), "standard output is the command's alone");
        assertTrue(first.err().contains("preparing a start-up cache"), first.err());
        assertTrue(Files.size(cache) > 0, "the cache was written");

        // The next command loads its classes from the cache, and does not train again.
        Path classes = dir.resolve("classes.txt");
        Run second = launcher(Map.of("PANOLM_AOT_CACHE", cache.toString(),
                "JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + classes), "--version");
        assertEquals(0, second.status(), second.err());
        assertEquals(plain.out(), second.out());
        assertFalse(second.err().contains("preparing"), second.err());
        String loaded = Files.readString(classes);
        // (picocli's classes are too old a class file version for the cache: panolm's own are the probe)
        assertTrue(loaded.lines().anyMatch(l -> l.contains(" org.panolm.cli.Main ") && l.contains("shared objects file")),
                "panolm's classes came from the AOT cache");

        // A cache older than the jar (a rebuild) is made again before the command runs.
        Files.setLastModifiedTime(cache, FileTime.fromMillis(0));
        Run stale = launcher(env, "--version");
        assertEquals(0, stale.status(), stale.err());
        assertEquals(plain.out(), stale.out());
        assertTrue(stale.err().contains("preparing a start-up cache"), stale.err());
        assertTrue(Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(Cli.jar())) >= 0);
    }

    @Test
    void aDamagedCacheOnlyCostsAWarning() throws Exception {
        Path cache = dir.resolve("damaged.aot");
        byte[] junk = new byte[100_000];
        new Random(7).nextBytes(junk);
        Files.write(cache, junk);
        Files.setLastModifiedTime(cache, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Run plain = launcher(Map.of("PANOLM_AOT_CACHE", "off"), "--version");
        Run damaged = launcher(Map.of("PANOLM_AOT_CACHE", cache.toString()), "--version");
        assertEquals(0, damaged.status(), damaged.err());
        assertEquals(plain.out(), damaged.out(), "the JVM's complaint stays off standard output");
        assertTrue(damaged.err().contains("aot"), damaged.err());
    }

    @Test
    void aFolderThatCannotHoldTheCacheIsNoError() throws Exception {
        Path cache = dir.resolve("missing-folder/panolm.aot");
        Run run = launcher(Map.of("PANOLM_AOT_CACHE", cache.toString()), "--version");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("panolm "), run.out());
        assertFalse(Files.exists(cache));
    }
}
