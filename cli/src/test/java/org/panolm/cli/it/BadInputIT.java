package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command does with input that is not a history, and when it is stopped half-way. */
class BadInputIT {
    @TempDir
    Path dir;

    private Path keys() {
        return History.write(dir, "keys.json", History.get().keys.toString());
    }

    @Test
    void emptyInputIsFatalAndWritesNothing() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run(new byte[0], Map.of(), "history", "decrypt", "--keys", keys().toString(),
                "--out", out.toString()).expectExit(1);
        assertEquals("panolm: standard input is empty: expected JSON Lines, a JSON array of events or a /messages "
                + "response", r.lastErrLine());
        KeyFilesIT.assertNoOutput(out);
        Path empty = History.write(dir, "empty.jsonl", "\n\n");
        r = Cli.run("history", "decrypt", "--keys", keys().toString(), "--in", empty.toString()).expectExit(1);
        assertTrue(r.lastErrLine().contains("is empty (only whitespace)"), r.stderr());
    }

    @Test
    void binaryGarbageIsFatalAndWritesNothing() throws Exception {
        byte[] garbage = new byte[10_000];
        new Random(5).nextBytes(garbage);
        garbage[0] = 0x1f; // gzip-like start: not '{' or '['
        Path in = History.write(dir, "history.gz", garbage);
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run("history", "decrypt", "--keys", keys().toString(), "--in", in.toString(),
                "--out", out.toString()).expectExit(1);
        assertEquals("panolm: " + in + " is binary data, not JSON (byte 0x1f at offset 0): expected JSON Lines, "
                + "a JSON array of events or a /messages response", r.lastErrLine());
        KeyFilesIT.assertNoOutput(out);
    }

    @Test
    void outputInAMissingFolderFailsBeforeAnyWork() {
        Path out = dir.resolve("no-such-folder").resolve("out.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(History.get().events), Map.of(), "history", "decrypt",
                "--keys", keys().toString(), "--out", out.toString()).expectExit(1);
        assertEquals("panolm: cannot write --out " + out + ": the folder " + out.getParent() + " does not exist",
                r.lastErrLine());
        assertEquals("", r.stdout());
    }

    @Test
    void aSyntaxErrorInsideAnArrayElementIsThatElementsErrorOnly() throws Exception {
        Path in = History.write(dir, "broken.json", "[\n" + History.get().events.get(0) + ",\n{\"type\": }\n]\n");
        Cli.Result r = Cli.run("history", "decrypt", "--keys", keys().toString(), "--in", in.toString()).expectExit(2);
        List<JsonNode> lines = History.lines(r.stdout());
        assertEquals(2, lines.size());
        assertEquals("element 2: line 3, column 10, at type: not valid JSON (a syntax error or a duplicate field)",
                lines.get(1).at("/decryption/reason").asText());
    }

    @Test
    void aJsonArrayWhoseStructureIsDamagedIsFatalAndNamesTheLine() throws Exception {
        Path in = History.write(dir, "broken.json", "[\n" + History.get().events.get(0) + ",\n{\"type\": [}\n]\n");
        Path out = dir.resolve("out.jsonl");
        Cli.Result r = Cli.run("history", "decrypt", "--keys", keys().toString(), "--in", in.toString(),
                "--out", out.toString()).expectExit(1);
        assertEquals("panolm: " + in + " line 3, column 11: '}' closes an array", r.lastErrLine());
        KeyFilesIT.assertNoOutput(out);
    }

    /** Stopped while reading (Ctrl-C / SIGTERM): the temporary file is removed, no finished-looking file appears. */
    @Test
    void aRunStoppedMidWayLeavesNoFinishedLookingOutput() throws Exception {
        for (boolean hard : new boolean[] {false, true}) {
            Path out = dir.resolve(hard ? "killed.jsonl" : "stopped.jsonl");
            Process p = new ProcessBuilder(Cli.command("history", "decrypt", "--keys", keys().toString(),
                    "--out", out.toString(), "--batch-size", "4"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            OutputStream stdin = p.getOutputStream();
            stdin.write(History.jsonLines(History.get().events.subList(0, 20)));
            stdin.flush(); // and keep the pipe open: the command waits for more history
            Path partial = null;
            for (int i = 0; i < 600 && partial == null; i++) {
                try (var files = Files.list(dir)) {
                    partial = files.filter(f -> f.getFileName().toString().startsWith("." + out.getFileName() + ".partial"))
                            .findFirst().orElse(null);
                }
                Thread.sleep(50);
            }
            assertTrue(partial != null, "the command started writing under a temporary name");
            // Through the process handle: the signal alone, with the input pipe still open, as when a user
            // stops a command that is waiting for more history.
            if (hard) {
                p.toHandle().destroyForcibly(); // SIGKILL: no chance to clean up
            } else {
                p.toHandle().destroy(); // SIGTERM: the shutdown hook removes the temporary file
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            stdin.close();
            assertFalse(Files.exists(out), "an interrupted run never leaves a file under the final name");
            if (!hard) {
                assertFalse(Files.exists(partial), "the temporary file is removed on SIGTERM");
            }
        }
    }
}
