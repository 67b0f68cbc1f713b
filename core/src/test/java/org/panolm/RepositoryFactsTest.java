package org.panolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.panolm.testsupport.Peers;

/**
 * What the repository says about itself must be true in a fresh clone: the JDK it asks for is the one the
 * build needs, every format-note section a comment cites exists, and nothing reads files from outside the
 * repository (a user's clone has only the repository).
 */
class RepositoryFactsTest {
    private static final Path ROOT = Peers.root();
    private static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", "target", "node_modules", ".cifuzz-corpus",
            "corpus", "regressions", ".idea");

    @Test
    void theJdkFloorIsTheBuildsRelease() throws IOException {
        Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(release.find());
        String floor = release.group(1);
        Matcher script = Pattern.compile("PANOLM_JDK_FLOOR=(\\d+)").matcher(Files.readString(ROOT.resolve("scripts/jdk.sh")));
        assertTrue(script.find(), "scripts/jdk.sh names its floor");
        assertEquals(floor, script.group(1), "scripts/jdk.sh accepts the JDK the build compiles for");
        Pattern claim = Pattern.compile("JDK (\\d+) or newer|JDK >= (\\d+)");
        for (String file : List.of("README.md", "cli/README.md", "panolm", "scripts/setup", "scripts/jdk.sh")) {
            Matcher m = claim.matcher(Files.readString(ROOT.resolve(file)));
            while (m.find()) {
                String said = m.group(1) != null ? m.group(1) : m.group(2);
                assertEquals(floor, said, file + " says '" + m.group() + "' but the build needs JDK " + floor);
            }
        }
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("JDK " + floor + " or newer"));
    }

    @Test
    void everyFormatsSectionCitedExists() throws IOException {
        Set<String> sections = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^#{2,3} (\\d+(?:\\.\\d+)?)\\.? ").matcher(
                Files.readString(ROOT.resolve("docs/formats.md")));
        while (heading.find()) {
            sections.add(heading.group(1));
        }
        // A citation names docs/formats.md and then one or more sections ("§2.1 and §6.3", "§2.2 to §2.4").
        Pattern citation = Pattern.compile("§(\\d+(?:\\.\\d+)?)");
        List<String> missing = new ArrayList<>();
        int cited = 0;
        for (Path file : sourceFiles()) {
            String text = read(file);
            if (text == null || file.endsWith(Path.of("docs/formats.md"))) {
                continue;
            }
            Matcher m = citation.matcher(text);
            while (m.find()) {
                cited++;
                if (!sections.contains(m.group(1))) {
                    missing.add(ROOT.relativize(file) + ": §" + m.group(1));
                }
            }
        }
        assertTrue(cited > 50, "citations found: " + cited);
        assertEquals(List.of(), missing, "sections cited but not in docs/formats.md");
    }

    /** A relative path written in a source: one or more {@code ../} steps and the names after them. */
    private static final Pattern RELATIVE_PATH = Pattern.compile("(?<![\\w./])((?:\\.\\./)+)(\\w[\\w.-]*(?:/\\w[\\w.-]*)*)");

    @Test
    void nothingReadsOutsideTheRepository() throws IOException {
        // A user's clone has only the repository: every relative path a source names must lead to a file or
        // folder of the repository, from the source's own folder or from its module's (where tests run).
        List<String> found = new ArrayList<>();
        for (Path file : sourceFiles()) {
            String text = read(file);
            if (text == null) {
                continue;
            }
            Matcher m = RELATIVE_PATH.matcher(text);
            while (m.find()) {
                if (!insideTheRepository(file, m.group())) {
                    found.add(ROOT.relativize(file) + ": " + m.group());
                }
            }
        }
        assertEquals(List.of(), found);
        assertTrue(Files.exists(ROOT.resolve("core/src/test/resources/wycheproof/SOURCE.md")),
                "the vendored Wycheproof vectors carry their SOURCE note");
        assertTrue(Files.exists(ROOT.resolve("core/src/test/resources/wycheproof/LICENSE")));
    }

    @Test
    void theRelativePathRuleTellsInsideFromOutside() {
        Path source = ROOT.resolve("core/src/test/java/org/panolm/RepositoryFactsTest.java");
        // Built, not written, so the scan of this very file does not meet it.
        Matcher outside = RELATIVE_PATH.matcher("Path.of(\"" + "../".repeat(7) + "vectors/x25519_test.json\")");
        assertTrue(outside.find());
        assertTrue(!insideTheRepository(source, outside.group()), "a folder beside the clone is outside");
        Matcher inside = RELATIVE_PATH.matcher("import x from '../pom.xml'");
        assertTrue(inside.find());
        assertTrue(insideTheRepository(ROOT.resolve("core/x.java"), inside.group()), "the root's pom is inside");
    }

    private static boolean insideTheRepository(Path file, String relative) {
        Path rel = ROOT.relativize(file);
        Path module = rel.getNameCount() > 1 ? ROOT.resolve(rel.getName(0)) : ROOT;
        for (Path base : List.of(file.getParent(), module)) {
            Path target = base.resolve(relative).normalize();
            if (target.startsWith(ROOT) && Files.exists(target)) {
                return true;
            }
        }
        return false;
    }

    /** Sources, scripts and documentation of the repository (not build output, corpora or dependencies). */
    private static List<Path> sourceFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> {
                        for (Path part : ROOT.relativize(p)) {
                            if (SKIPPED_DIRECTORIES.contains(part.toString())) return false;
                        }
                        return Files.isRegularFile(p);
                    })
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.matches(".*\\.(java|c|h|py|js|mjs|md|xml|sh|txt|map)") || name.equals("Makefile")
                                || name.equals("panolm") || p.getParent().endsWith("scripts");
                    })
                    .toList();
        }
    }

    /** The text of a file, or null when it is not UTF-8 text. */
    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (MalformedInputException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
