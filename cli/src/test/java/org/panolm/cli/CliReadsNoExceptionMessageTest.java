package org.panolm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;


/**
 * The command reads what went wrong from data the exceptions and results carry, never by taking a
 * message apart: a message is for people and may change (issue 13 asks for structured errors). How a
 * batch failure becomes text is tested in {@code MegolmBatchDecryptorTest}.
 */
class CliReadsNoExceptionMessageTest {
    /** A message, or Jackson's original message, handed to a string operation that looks inside it. */
    private static final Pattern TAKES_APART = Pattern.compile(
            "get(Original)?Message\\(\\)\\s*\\.\\s*(replace\\w*|substring|startsWith|endsWith|split|matches|contains|indexOf|strip\\w*)\\(");

    @Test
    void noSourceTakesAnExceptionMessageApart() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the cli module: " + sources.toAbsolutePath());
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> all = Files.walk(sources)) {
            for (Path f : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (TAKES_APART.matcher(lines.get(i)).find() || lines.get(i).contains("getOriginalMessage")) {
                        found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(files > 30, "the sources were found");
        assertTrue(found.isEmpty(), String.join("\n", found));
    }
}
