package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/**
 * The libpanolm that panolm.jar carries is the static build: OpenSSL and libsodium are inside it, so the
 * machine's own libssl/libcrypto and libsodium are never loaded (the dynamic loader's trace shows it, and
 * a development build linked to them is seen by the same check). A library of another version is refused
 * with one clear error. The glibc the library needs is the one the README states.
 */
class NativeLibraryIT {
    private static final String[] DEMO = {"demo", "--rooms", "2", "--senders", "2", "--messages", "200",
        "--threads", "2", "--rotate", "50"};
    /** The shared libraries a user would otherwise need from Debian (libssl3, libsodium23). */
    private static final Pattern SYSTEM_CRYPTO = Pattern.compile("/lib(ssl|crypto|sodium)\\.so[^/\\s]*$");
    private static final Pattern INIT = Pattern.compile("^\\s*\\d+:\\s+calling init: (\\S+)$");

    private static Path dynamicLibrary;
    private static Path otherVersionLibrary;

    /** Development builds of libpanolm linked to the system's libraries, one of them under another version. */
    @BeforeAll
    static void buildDynamicLibraries() throws Exception {
        Path root = Peers.root();
        Path dir = root.resolve("cli/target/native-it");
        dynamicLibrary = make(root, dir, "dynamic", null);
        otherVersionLibrary = make(root, dir, "other-version", "0.0.0-other");
    }

    @Test
    void theBundledLibraryRunsTheDemoWithoutTheSystemsOpensslOrLibsodium(@TempDir Path trace) throws IOException {
        List<String> loaded = demoUnderLoaderTrace(List.of(), trace);
        String libpanolm = loaded.stream().filter(p -> p.endsWith("/libpanolm.so")).findFirst()
                .orElseGet(() -> fail("the trace shows no libpanolm.so: " + loaded));
        // NativeLibraries extracts the jar's copy into a private panolm-* temporary folder.
        assertTrue(Path.of(libpanolm).getParent().getFileName().toString().startsWith("panolm-"), libpanolm);
        List<String> systemCrypto = loaded.stream().filter(p -> SYSTEM_CRYPTO.matcher(p).find()).toList();
        assertEquals(List.of(), systemCrypto, "libraries loaded besides the bundled libpanolm");
    }

    /** The same check catches a libpanolm that links the system's libcrypto and libsodium. */
    @Test
    void aDynamicallyLinkedBuildIsSeen(@TempDir Path trace) throws IOException {
        List<String> loaded = demoUnderLoaderTrace(List.of("-Dpanolm.library.path=" + dynamicLibrary), trace);
        assertTrue(loaded.contains(dynamicLibrary.toString()), loaded.toString());
        List<String> names = loaded.stream().filter(p -> SYSTEM_CRYPTO.matcher(p).find())
                .map(p -> Path.of(p).getFileName().toString().replaceAll("\\.so.*", "")).sorted().toList();
        assertEquals(List.of("libcrypto", "libsodium"), names, loaded.toString());
    }

    @Test
    void aLibraryOfAnotherVersionIsOneClearError() {
        Cli.Result r = Cli.run(List.of("-Dpanolm.library.path=" + otherVersionLibrary), in -> { }, Map.of(),
                DEMO);
        r.expectExit(1);
        String version = projectVersion();
        assertEquals("panolm: libpanolm 0.0.0-other (from " + otherVersionLibrary + ") does not match "
                + "panolm-bindings " + version + ". Use panolm-native " + version
                + " (import org.panolm:panolm-bom to keep the panolm artifacts at one version)", r.lastErrLine());
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), r.stderr()); // no stack trace
    }

    /** The newest glibc symbol version the bundled library references is the floor the README documents. */
    @Test
    void glibcFloorIsTheOneTheReadmeStates() throws Exception {
        Path library = Peers.root().resolve("native/target/classes/org/panolm/native/linux-x86_64/libpanolm.so");
        Process p = new ProcessBuilder("objdump", "-T", library.toString()).redirectErrorStream(true).start();
        String symbols = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), symbols);
        Matcher m = Pattern.compile("\\(GLIBC_(\\d+)\\.(\\d+)(?:\\.\\d+)?\\)").matcher(symbols);
        int[] newest = {0, 0};
        while (m.find()) {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            if (major > newest[0] || major == newest[0] && minor > newest[1]) newest = new int[] {major, minor};
        }
        assertTrue(newest[0] == 2, symbols);
        assertFalse(symbols.contains("libcrypto") || symbols.contains("libsodium") || symbols.contains("OPENSSL_3"),
                "the bundled library references OpenSSL or libsodium symbols of a shared library:\n" + symbols);
        String floor = "glibc " + newest[0] + "." + newest[1];
        String readme = Files.readString(Peers.root().resolve("README.md"));
        assertTrue(readme.contains("glibc floor: " + floor), "README.md must state the glibc floor: " + floor);
    }

    /** Runs a small demo with the dynamic loader's trace on; returns the libraries it initialised. */
    private static List<String> demoUnderLoaderTrace(List<String> jvmOptions, Path traceDir) throws IOException {
        Cli.Result r = Cli.run(jvmOptions, in -> { },
                Map.of("LD_DEBUG", "libs", "LD_DEBUG_OUTPUT", traceDir.resolve("ld").toString()), DEMO);
        r.expectExit(0);
        assertEquals("panolm demo: all 200 messages decrypted and checked", r.lastErrLine(), r.stderr());
        // One file per process (ld.<pid>); the one that loaded libpanolm is the command's.
        try (Stream<Path> files = Files.list(traceDir)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                List<String> loaded = Files.readAllLines(file).stream().map(INIT::matcher).filter(Matcher::matches)
                        .map(mm -> mm.group(1)).toList();
                if (loaded.stream().anyMatch(l -> l.endsWith("/libpanolm.so"))) {
                    return loaded;
                }
            }
        }
        return fail("no loader trace of the command in " + traceDir);
    }

    private static Path make(Path root, Path dir, String name, String version) throws Exception {
        Path out = dir.resolve(name);
        List<String> cmd = new java.util.ArrayList<>(List.of("make", "-s", "-C", root.resolve("native").toString(),
                "-j2", "LINK=dynamic", "BUILD=" + dir.resolve("obj"), "OUT=" + out));
        if (version != null) cmd.add("VERSION=" + version);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail("make failed: " + String.join(" ", cmd) + "\n" + log);
        }
        return out.resolve("libpanolm.so");
    }

    private static String projectVersion() {
        try {
            String pom = Files.readString(Peers.root().resolve("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>panolm-parent</artifactId>\\s*<version>([^<]+)</version>")
                    .matcher(pom);
            assertTrue(m.find(), "no version in pom.xml");
            return m.group(1);
        } catch (IOException e) {
            return fail(e.toString());
        }
    }
}
