package org.panolm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.export.InvalidRoomKeyException;

import picocli.CommandLine;

/**
 * The CLI describes panolm's errors from their data (status and detail), never from their message: an
 * exception whose message cannot be read is still reported in full, and no source outside {@link Errors}
 * reads a message at all.
 */
class ErrorsTest {
    /** A panolm error whose message must not be read: reading it fails the test. */
    private static final class UnreadableMessage extends PanolmException {
        UnreadableMessage(Status status, ErrorDetail detail) {
            super(status, detail);
        }

        @Override
        public String getMessage() {
            throw new AssertionError("the CLI read an exception message");
        }

        @Override
        public String getLocalizedMessage() {
            throw new AssertionError("the CLI read an exception message");
        }

        @Override
        public String toString() {
            throw new AssertionError("the CLI turned an exception into a string");
        }
    }

    @Test
    void panolmErrorsAreDescribedFromTheirFields() {
        var e = new UnreadableMessage(Status.UNKNOWN_INDEX,
                new ErrorDetail("session S", "$ev", "content.ciphertext", 7L, "is before the first known index"));
        assertEquals("UNKNOWN_INDEX: session S: event $ev: index 7: content.ciphertext is before the first known index",
                Errors.describe(e));
        assertEquals(Errors.describe(e), Errors.describe((Throwable) e));
    }

    @Test
    void aKeyProblemNamesFieldAndReasonOnly() {
        var e = new InvalidRoomKeyException(Status.BAD_KEY, "!r:x", "S", "session_key", "must be 32 bytes, not 3");
        assertEquals("session_key must be 32 bytes, not 3", Errors.keyProblem(e));
        assertEquals("room !r:x session S", e.detail().subject());
        assertEquals("BAD_KEY: room !r:x session S: session_key must be 32 bytes, not 3", Errors.describe(e));
    }

    @Test
    void theFatalHandlerPrintsTheDetailWithoutReadingTheMessage() {
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(text));
        var e = new UnreadableMessage(Status.BAD_MAC, new ErrorDetail("room-key export file", null, null, null, "wrong"));
        assertEquals(ExitCodes.FATAL, Main.fatal(e, cl, null));
        assertEquals("panolm: BAD_MAC: room-key export file: wrong", text.toString().strip());
    }

    @Test
    void fileErrorsAreSaidPlainly() {
        assertEquals("no such file", Errors.describe(new NoSuchFileException("/some/where")));
        assertEquals("disk full", Errors.describe(new IOException("disk full")));
        assertEquals("x.json: bad", Errors.describe(new CliException("x.json: bad")));
    }

    @Test
    void onlyErrorsReadsAMessage() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the cli module: " + sources.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(sources)) {
            for (Path f : all.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith(Path.of("org/panolm/cli/Errors.java"))) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches(".*get(Localized|Original)?Message\\s*\\(.*")) {
                        found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(found.isEmpty(), "describe errors with org.panolm.cli.Errors:\n" + String.join("\n", found));
    }
}
