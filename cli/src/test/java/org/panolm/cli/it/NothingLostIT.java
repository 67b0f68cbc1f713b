package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.testsupport.Peers;

/**
 * Nothing is lost on bad input or a failed write, and nothing is left behind: a bad entry fails alone, a
 * write failure fails the run, an output path is never something other than a file, a stopped run's
 * plaintext is removed, standard input may be closed, what is printed from the input cannot drive the
 * terminal, and an export file is not made with too few rounds.
 */
class NothingLostIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    private Path keys() {
        return History.write(dir, "keys.json", h.keys.toString());
    }

    private List<ObjectNode> decryptable() {
        return h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status").asText().equals("ok"))
                .toList();
    }

    @Test
    void aDeeplyNestedEventIsOneBadEventAndTheRestIsDecrypted() {
        String deep = "{\"type\":\"m.room.message\",\"content\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        List<ObjectNode> good = decryptable();
        String lines = good.get(0) + "\n" + deep + "\n" + good.get(1) + "\n";
        String array = "[" + good.get(0) + ",\n" + deep + ",\n" + good.get(1) + "]";
        for (String input : List.of(lines, array)) {
            Cli.Result r = Cli.run(input.getBytes(StandardCharsets.UTF_8), Map.of(), "history", "decrypt", "--keys",
                    keys().toString()).expectExit(2);
            List<JsonNode> out = History.lines(r.stdout());
            assertEquals(3, out.size(), r.stderr());
            assertEquals("ok", out.get(0).at("/decryption/status").asText());
            assertEquals("BAD_EVENT", out.get(1).at("/decryption/status").asText());
            assertTrue(out.get(1).at("/decryption/reason").asText().endsWith("nested deeper than 64 levels"), out.get(1).toString());
            assertEquals("ok", out.get(2).at("/decryption/status").asText());
        }
    }

    /** Run through /dev/full: every write fails with ENOSPC. */
    private static Cli.Result toFullDisk(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Cli.command(args)).redirectOutput(new File("/dev/full"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("PANOLM_PASSPHRASE");
        pb.environment().remove("PANOLM_RECOVERY_KEY");
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Cli.Result(p.exitValue(), "", err);
    }

    @Test
    void aWriteFailureOnStandardOutputFailsTheRun() throws Exception {
        Cli.Result r = toFullDisk("recovery-key", "generate").expectExit(1);
        assertEquals("panolm: cannot write to standard output: No space left on device", r.lastErrLine());
        toFullDisk("recovery-key", "generate", "--json").expectExit(1);
        Path in = History.write(dir, "history.jsonl", History.jsonLines(decryptable()));
        r = toFullDisk("history", "decrypt", "--keys", keys().toString(), "--in", in.toString()).expectExit(1);
        assertTrue(r.lastErrLine().startsWith("panolm: cannot write the output"), r.stderr());
        toFullDisk("export", "inspect", "--in", keys().toString()).expectExit(1);
        toFullDisk("export", "inspect", "--in", keys().toString(), "--json").expectExit(1);
        toFullDisk("--help").expectExit(1);
    }

    @Test
    void outRefusesAnythingButARegularFileOrANewPath() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path target = History.write(dir, "real.jsonl", "keep me\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), target);
        Path folder = Files.createDirectory(dir.resolve("folder"));
        byte[] history = History.jsonLines(decryptable());
        for (Path out : List.of(fifo, link, folder, Path.of("/dev/null"))) {
            Cli.Result r = Cli.run(history, Map.of(), "history", "decrypt", "--keys", keys().toString(),
                    "--out", out.toString()).expectExit(1);
            assertTrue(r.lastErrLine().startsWith("panolm: cannot write --out " + out + ": it is "), r.stderr());
            assertTrue(r.lastErrLine().endsWith("only a new file or a regular file is replaced"), r.stderr());
        }
        assertTrue(Files.isSymbolicLink(link) && Files.readString(target).equals("keep me\n"), "the link and its file are kept");
        assertTrue(Files.isDirectory(folder));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still there, not replaced by a file");
        for (String[] command : List.of(
                new String[] {"backup", "create", "--keys", keys().toString(), "--public-key",
                        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", "--out", fifo.toString()},
                new String[] {"export", "encrypt", "--in", keys().toString(), "--out", fifo.toString()})) {
            Cli.Result r = Cli.run(null, Map.of("PANOLM_PASSPHRASE", "pass phrase 123"), command).expectExit(1);
            assertTrue(r.lastErrLine().contains("it is not a regular file"), r.stderr());
        }
        // A regular file is replaced, as before.
        Cli.run(history, Map.of(), "history", "decrypt", "--keys", keys().toString(), "--out", target.toString())
                .expectExit(0);
        assertEquals(decryptable().size(), History.lines(Files.readString(target)).size());
    }

    private static Path waitFor(Path folder, String prefix) throws Exception {
        for (int i = 0; i < 1200; i++) {
            try (Stream<Path> files = Files.list(folder)) {
                Path found = files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
                if (found != null) {
                    return found;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing named " + prefix + "* appeared in " + folder);
    }

    /** SIGKILL leaves the temporary file of the output; the next run writing into that folder removes it. */
    @Test
    void aKilledRunsPartialOutputIsRemovedByTheNextRun() throws Exception {
        Path out = dir.resolve("killed.jsonl");
        Process p = new ProcessBuilder(Cli.command("history", "decrypt", "--keys", keys().toString(),
                "--out", out.toString(), "--batch-size", "4")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        OutputStream stdin = p.getOutputStream();
        stdin.write(History.jsonLines(h.events.subList(0, 20)));
        stdin.flush(); // and keep the pipe open: the command waits for more history
        Path partial = waitFor(dir, "." + out.getFileName() + ".partial-");
        p.toHandle().destroyForcibly();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        stdin.close();
        assertTrue(Files.exists(partial), "SIGKILL gives no chance to clean up");
        Path other = dir.resolve("other.jsonl");
        Cli.Result r = Cli.run(History.jsonLines(decryptable()), Map.of(), "history", "decrypt", "--keys",
                keys().toString(), "--out", other.toString()).expectExit(0);
        assertFalse(Files.exists(partial), "the next run into the folder removed the plaintext left behind");
        assertTrue(r.stderr().contains("panolm: removed " + partial + ", left by a run that was stopped"), r.stderr());
        assertFalse(Files.exists(out));
    }

    @Test
    void aPartialOutputOfALiveRunIsNotTouched() throws Exception {
        Path out = dir.resolve("live.jsonl");
        Process p = new ProcessBuilder(Cli.command("history", "decrypt", "--keys", keys().toString(),
                "--out", out.toString(), "--batch-size", "4")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(History.jsonLines(h.events.subList(0, 20)));
            stdin.flush();
            Path partial = waitFor(dir, "." + out.getFileName() + ".partial-");
            Cli.run(History.jsonLines(decryptable()), Map.of(), "history", "decrypt", "--keys", keys().toString(),
                    "--out", dir.resolve("other.jsonl").toString()).expectExit(0);
            assertTrue(Files.exists(partial), "another run's unfinished output is left alone while it runs");
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() == 0 || p.exitValue() == 2, "exit " + p.exitValue());
        assertTrue(Files.exists(out));
    }

    /** The demo's folder of history and keys goes when the demo is stopped, or at the next demo if it was killed. */
    @Test
    void aStoppedDemoLeavesNothingInTemp() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp);
        for (boolean hard : new boolean[] {false, true}) {
            Process p = new ProcessBuilder(Cli.command(jvm, "demo", "--messages", "2000000", "--threads", "1"))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Path work = waitFor(tmp, "panolm-demo-");
            Thread.sleep(500); // well into the run: encrypting two million messages takes far longer
            if (hard) {
                p.toHandle().destroyForcibly();
            } else {
                p.toHandle().destroy();
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            if (!hard) {
                assertFalse(Files.exists(work), "SIGTERM: the demo removed its folder");
            } else {
                assertTrue(Files.exists(work), "SIGKILL gives no chance to clean up");
                Cli.Result r = Cli.run(jvm, in -> { }, Map.of(), "demo", "--messages", "100", "--rooms", "1",
                        "--senders", "1", "--threads", "1").expectExit(0);
                assertFalse(Files.exists(work), "the next demo removed what the killed one left");
                assertTrue(r.stderr().contains("left by a run that was stopped"), r.stderr());
            }
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().startsWith("panolm-demo-")).toList());
        }
    }

    @Test
    void aClosedStandardInputIsAnErrorNotACrash() throws Exception {
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" <&-", "sh"));
        for (String[] args : List.of(new String[] {"history", "decrypt", "--keys", keys().toString()},
                new String[] {"recovery-key", "check"},
                new String[] {"export", "encrypt", "--in", "-", "--out", dir.resolve("x.txt").toString()})) {
            List<String> cmd = new ArrayList<>(shell);
            cmd.addAll(Cli.command(args));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("PANOLM_PASSPHRASE", "pass phrase 123");
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), String.join(" ", args) + ": " + err);
            assertTrue(err.strip().endsWith("panolm: standard input is closed: give --in FILE, or redirect it"), err);
        }
    }

    @Test
    void exportInspectPrintsNothingATerminalWouldObey() throws Exception {
        String hostile = "!room\u001b]0;owned\u0007\u001b[2J\u009b31m\u202eevil:x";
        ObjectNode key = ((ObjectNode) h.keys.get(0)).deepCopy();
        key.put("room_id", hostile);
        key.put("sender_key", "key\u001b[31mred");
        Path file = History.write(dir, "keys.json", Peers.JSON.createArrayNode().add(key).toString());
        for (List<String> args : List.of(List.of("export", "inspect", "--in", file.toString()),
                List.of("export", "inspect", "--in", file.toString(), "--json"))) {
            Cli.Result r = Cli.run(args.toArray(String[]::new)).expectExit(0);
            String all = r.stdout() + r.stderr();
            for (char c : all.toCharArray()) {
                assertFalse(c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == '\u202e',
                        "printed a control character U+" + Integer.toHexString(c) + ": " + all);
            }
            assertTrue(r.stdout().toLowerCase(java.util.Locale.ROOT).contains("\\u001b"), r.stdout());
        }
        // And the history output: a hostile body reaches the terminal as JSON escapes.
        ObjectNode event = h.events.stream().filter(e -> h.expected.get(e.get("event_id").asText()).get("status")
                .asText().equals("not_encrypted")).findFirst().orElseThrow().deepCopy();
        ((ObjectNode) event.get("content")).put("displayname", hostile);
        Cli.Result r = Cli.run(History.jsonLines(List.of(event)), Map.of(), "history", "decrypt", "--keys",
                keys().toString()).expectExit(0);
        assertFalse(r.stdout().chars().anyMatch(c -> c == 0x9b || c == 0x1b || c == 0x202e), r.stdout());
        assertEquals(hostile, History.lines(r.stdout()).get(0).at("/content/displayname").asText(), "the same string");
    }

    @Test
    void fewRoundsForANewExportFileNeedAnExplicitOverride() throws Exception {
        Path keys = keys();
        Path out = dir.resolve("export.txt");
        Map<String, String> env = Map.of("PANOLM_PASSPHRASE", "pass phrase 123", "PANOLM_OUT_PASSPHRASE", "pass phrase 456");
        Cli.Result r = Cli.run(null, env, "export", "encrypt", "--in", keys.toString(), "--out", out.toString(),
                "--rounds", "1").expectExit(1);
        assertEquals("panolm: --rounds 1 is below 100000: the file's passphrase would be quick to guess (give "
                + "--allow-weak-rounds to accept that)", r.lastErrLine());
        assertFalse(Files.exists(out));
        Cli.run(null, env, "export", "encrypt", "--in", keys.toString(), "--out", out.toString(), "--rounds", "1",
                "--allow-weak-rounds").expectExit(0);
        assertTrue(Files.exists(out));
        Element e = Element.backup();
        Path body = History.write(dir, "room_keys.json", e.body.toString());
        r = Cli.run(null, Map.of("PANOLM_RECOVERY_KEY", e.recoveryKey, "PANOLM_OUT_PASSPHRASE", "pass phrase 456"),
                "backup", "restore", "--backup", body.toString(), "--out", dir.resolve("restored.txt").toString(),
                "--rounds", "99999").expectExit(1);
        assertTrue(r.lastErrLine().startsWith("panolm: --rounds 99999 is below 100000"), r.stderr());
        assertFalse(Files.exists(dir.resolve("restored.txt")));
    }

    /** Memory stays bounded by the batch, however long the lines: a huge one is one BAD_EVENT line. */
    @Test
    void hugeLinesKeepMemoryBoundedAndFailAlone() throws Exception {
        Path keys = keys();
        Path out = dir.resolve("out.jsonl");
        String pad = "A".repeat(900_000);
        Cli.Result r = Cli.run(List.of("-Xmx48m"), stdin -> {
            for (int i = 0; i < 60; i++) {
                // Just under the event size limit: a batch of 4096 of these would need 3.6 GB.
                stdin.write(("{\"type\":\"m.room.encrypted\",\"event_id\":\"$big" + i + "\",\"room_id\":\"!r:x\","
                        + "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_id\":\"unknown\",\"ciphertext\":\""
                        + pad + "\"}}\n").getBytes(StandardCharsets.UTF_8));
                if (i % 30 == 0) {
                    // Far over it: skipped as it streams by, never held.
                    byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
                    stdin.write('{');
                    for (int k = 0; k < 40; k++) {
                        stdin.write(chunk);
                    }
                    stdin.write('\n');
                }
            }
        }, Map.of(), "history", "decrypt", "--keys", keys.toString(), "--out", out.toString()).expectExit(2);
        assertTrue(r.stderr().contains("62 events: 0 decrypted, 62 failed (BAD_EVENT 2, UNKNOWN_SESSION 60)"),
                r.stderr());
        List<String> tooLong = new ArrayList<>();
        try (Stream<String> lines = Files.lines(out)) {
            lines.filter(l -> l.length() < 1000).forEach(tooLong::add);
        }
        assertEquals(2, tooLong.size());
        assertTrue(tooLong.get(0).contains("is longer than 1 MiB (the maximum event size)"), tooLong.get(0));
    }
}
