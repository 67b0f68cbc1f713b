package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.panolm.testsupport.Peers;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * panolm on the module path: the command runs as the module {@code org.panolm.cli} (libpanolm found in the
 * module {@code org.panolm.libpanolm}, Jackson and picocli reaching the classes they fill), and each of
 * panolm's jars exports only its API, as {@code jar --describe-module} shows.
 */
class ModulePathIT {
    private static final String NATIVE_ACCESS = "--enable-native-access=org.panolm.bindings,org.panolm.core";

    private static List<Path> modulePath() throws IOException {
        String jar = System.getProperty("panolm.cli.module.jar");
        String file = System.getProperty("panolm.cli.module.path");
        assertTrue(jar != null && file != null, "run through mvn verify (the module path is written at package)");
        List<Path> path = new ArrayList<>();
        path.add(Path.of(jar));
        for (String entry : Files.readString(Path.of(file)).strip().split(File.pathSeparator)) {
            path.add(Path.of(entry));
        }
        for (Path p : path) {
            assertTrue(Files.isRegularFile(p), "missing jar " + p);
        }
        return path;
    }

    private static Path jarOf(List<Path> path, String artifact) {
        return path.stream().filter(p -> p.getFileName().toString().startsWith(artifact + "-")).findFirst()
                .orElseGet(() -> fail("no " + artifact + " jar on the module path: " + path));
    }

    private static Cli.Result run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("PANOLM_PASSPHRASE");
        pb.environment().remove("PANOLM_RECOVERY_KEY");
        Path out = Files.createTempFile("panolm-modulepath-", ".out");
        Path err = Files.createTempFile("panolm-modulepath-", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new Cli.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> onModulePath(List<String> jvm, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dpanolm.stderr.tty=false", NATIVE_ACCESS, "--module-path",
                String.join(File.pathSeparator, modulePath().stream().map(Path::toString).toList()),
                "--add-modules", "org.panolm.libpanolm"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-m", "org.panolm.cli/org.panolm.cli.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void theCommandRunsAsAModuleAndFindsTheBundledLibrary() throws Exception {
        Cli.Result key = run(onModulePath(List.of(), "recovery-key", "generate", "--json")).expectExit(0);
        JsonNode made = Peers.JSON.readTree(key.stdout());
        assertTrue(made.path("recovery_key").asText().startsWith("E"), key.stdout());
        assertFalse(key.stderr().contains("WARNING"), key.stderr());

        // The demo goes through Megolm, backups, export files and Jackson's binding of core's records.
        Cli.Result demo = run(onModulePath(List.of("--show-module-resolution"), "demo", "--rooms", "2", "--senders",
                "2", "--messages", "100", "--threads", "1", "--rotate", "50")).expectExit(0);
        assertTrue(demo.stdout().contains("root org.panolm.cli "), "the command ran from the module path");
        Matcher lib = Pattern.compile("(?m)^root org\\.panolm\\.libpanolm file:\\S+/panolm-native-\\S+\\.jar automatic$").matcher(demo.stdout());
        // The thin panolm-cli jar carries no libpanolm: the demo found it in that module.
        assertTrue(lib.find(), "the panolm-native jar is the module org.panolm.libpanolm");
        assertFalse(demo.stderr().contains("WARNING"), demo.stderr());
    }

    /** {@code jar --describe-module}: the module's name, its unqualified and qualified exports. */
    private static Map<String, Set<String>> describe(Path jar) throws Exception {
        String jarTool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jar").toString();
        Cli.Result r = run(List.of(jarTool, "--describe-module", "--file", jar.toString())).expectExit(0);
        Map<String, Set<String>> d = new TreeMap<>();
        for (String line : r.stdout().strip().split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("exports") || words[0].equals("qualified") || words[0].equals("requires")
                    || words[0].equals("opens")) {
                String kind = words[0].equals("qualified") ? "qualified " + words[1] : words[0];
                int at = words[0].equals("qualified") ? 2 : 1;
                d.computeIfAbsent(kind, k -> new TreeSet<>()).add(words[at]);
            } else if (line.contains("@") && !d.containsKey("name")) {
                d.put("name", Set.of(words[0].split("@")[0]));
            } else if (words[0].equals("No")) {
                d.put("name", Set.of(r.stdout().strip()));
            }
        }
        return d;
    }

    @Test
    void eachJarExportsOnlyItsApi() throws Exception {
        List<Path> path = modulePath();
        Map<String, Set<String>> core = describe(jarOf(path, "panolm-core"));
        assertEquals(Set.of("org.panolm.core"), core.get("name"));
        assertEquals(new TreeSet<>(List.of("org.panolm", "org.panolm.backup", "org.panolm.crosssigning",
                "org.panolm.encoding", "org.panolm.export", "org.panolm.json", "org.panolm.keystore",
                "org.panolm.megolm", "org.panolm.olm", "org.panolm.pk", "org.panolm.recovery", "org.panolm.ssss",
                "org.panolm.trust", "org.panolm.verification", "org.panolm.verification.qr",
                "org.panolm.verification.sas")), core.get("exports"));
        assertEquals(new TreeSet<>(List.of("org.panolm.internal", "org.panolm.internal.json", "org.panolm.subtle")),
                core.get("qualified exports"));

        Map<String, Set<String>> bindings = describe(jarOf(path, "panolm-bindings"));
        assertEquals(Set.of("org.panolm.bindings"), bindings.get("name"));
        assertEquals(null, bindings.get("exports"), "the bindings are no API");
        assertEquals(Set.of("org.panolm.bindings"), bindings.get("qualified exports"));

        Map<String, Set<String>> testkit = describe(jarOf(path, "panolm-testkit"));
        assertEquals(Set.of("org.panolm.testkit"), testkit.get("name"));
        assertEquals(Set.of("org.panolm.testkit"), testkit.get("exports"));
        assertEquals(null, testkit.get("qualified exports"));

        Map<String, Set<String>> cli = describe(Path.of(System.getProperty("panolm.cli.module.jar")));
        assertEquals(Set.of("org.panolm.cli"), cli.get("name"));
        assertEquals(null, cli.get("exports"), "an application exports nothing");

        Cli.Result lib = run(List.of(Path.of(ProcessHandle.current().info().command().orElseThrow())
                .resolveSibling("jar").toString(), "--describe-module", "--file",
                jarOf(path, "panolm-native").toString())).expectExit(0);
        assertTrue(lib.stdout().startsWith("No module descriptor found. Derived automatic module.")
                && lib.stdout().contains("org.panolm.libpanolm@"), lib.stdout());
    }
}
