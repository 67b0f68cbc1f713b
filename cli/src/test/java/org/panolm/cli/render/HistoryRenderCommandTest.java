package org.panolm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.panolm.cli.Main;

/** {@code panolm history render} in process: escaping, replies, edits, marks, bounded spilling, errors. */
class HistoryRenderCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOM = "!room:example.org";

    @TempDir
    Path dir;

    private record Run(int exit, String stderr) {}

    private Run render(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            String[] all = Stream.concat(Stream.of("history", "render"), Stream.of(args)).toArray(String[]::new);
            int exit = Main.run(all);
            return new Run(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static ObjectNode event(String id, String sender, long ts, String room) {
        ObjectNode e = JSON.createObjectNode();
        e.put("event_id", id);
        e.put("sender", sender);
        e.put("origin_server_ts", ts);
        e.put("room_id", room);
        e.put("type", "m.room.message");
        return e;
    }

    private static ObjectNode ok(ObjectNode e, String trust, String source) {
        ObjectNode d = e.putObject("decryption");
        d.put("status", "ok");
        d.put("session_id", "SESSION");
        d.put("message_index", 0);
        d.put("trust", trust);
        d.put("authenticated", !"unauthenticated".equals(trust));
        d.putObject("key_provenance").put("source", source);
        return e;
    }

    private static ObjectNode text(ObjectNode e, String body) {
        e.putObject("content").put("msgtype", "m.text").put("body", body);
        return e;
    }

    private Path write(String name, List<ObjectNode> events) throws IOException {
        StringBuilder s = new StringBuilder();
        for (ObjectNode e : events) {
            s.append(JSON.writeValueAsString(e)).append('\n');
        }
        return Files.writeString(dir.resolve(name), s.toString());
    }

    private static String only(Path out, String ext) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            List<Path> rooms = files.filter(p -> p.getFileName().toString().startsWith("room")).toList();
            assertEquals(1, rooms.size(), rooms.toString());
            assertTrue(rooms.get(0).toString().endsWith("." + ext));
            return Files.readString(rooms.get(0));
        }
    }

    @Test
    void hostileBodiesSendersRoomIdsAndUrlsAreEscapedInHtml() throws IOException {
        String room = "!<script>alert(1)</script>\"':evil.org";
        String sender = "@<img src=x onerror=alert(2)>:evil.org";
        ObjectNode msg = ok(text(event("$<b>id", sender, 1000, room), "</div><script>alert(3)</script>&amp; \"q\" 'a'\u0000\u001b[2J"),
                "sender_verified", "olm");
        ObjectNode file = ok(event("$file", sender, 2000, room), "unauthenticated", "backup");
        file.putObject("content").put("msgtype", "m.file").put("body", "<iframe src=//evil>.pdf")
                .put("url", "javascript:alert(4)\" onclick=\"alert(5)").putObject("info").put("mimetype", "text/html\"><svg onload=alert(6)>");
        ObjectNode failed = event("$failed", sender, 3000, room);
        failed.put("type", "m.room.encrypted");
        failed.putObject("decryption").put("status", "BAD_MAC").put("reason", "<u>the MAC</u> did not match");
        Path in = write("in.jsonl", List.of(msg, file, failed));
        Path out = dir.resolve("html");
        Run r = render("--in", in.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.stderr());
        String page = only(out, "html") + Files.readString(out.resolve("index.html"));
        // The only tags are our own: no input-made element or attribute survives.
        for (String forbidden : List.of("<script", "<img", "<iframe", "<svg", "<b>", "<u>", "onclick=\"", "href=\"javascript",
                "\u001b", "\u0000")) {
            assertFalse(page.contains(forbidden), forbidden + " in\n" + page);
        }
        assertTrue(page.contains("&lt;script&gt;alert(3)&lt;/script&gt;&amp;amp; &quot;q&quot; &#39;a&#39;"), page);
        assertTrue(page.contains("@&lt;img src=x onerror=alert(2)&gt;:evil.org"), page);
        assertTrue(page.contains("javascript:alert(4)&quot; onclick=&quot;alert(5)"), page);
        // Every href is one of ours: an anchor or a room file name made by panolm.
        Matcher hrefs = Pattern.compile("href=\"([^\"]*)\"").matcher(page);
        while (hrefs.find()) {
            assertTrue(hrefs.group(1).matches("#e\\d+|room-[A-Za-z0-9._-]*\\.html"), hrefs.group(1));
        }
        assertTrue(page.contains("Content-Security-Policy"), "scripts are forbidden by the page itself too");
        assertTrue(page.contains("unable to decrypt") && page.contains("BAD_MAC: &lt;u&gt;the MAC&lt;/u&gt; did not match"), page);
        assertTrue(page.contains("authenticity not guaranteed") && page.contains("a key backup"), page);
    }

    @Test
    void textTranscriptsCannotForgeLinesOrDriveATerminal() throws IOException {
        ObjectNode msg = ok(text(event("$1", "@a\u001b]0;x\u0007:x", 1000, ROOM),
                "hello\n[2026-01-01 00:00:00 UTC] @admin:x\n\u001b[31mred\u202e"), "sender_authenticated", "olm");
        Path in = write("in.jsonl", List.of(msg));
        Path out = dir.resolve("text");
        assertEquals(0, render("--in", in.toString(), "--out", out.toString(), "--format", "text").exit());
        String t = only(out, "txt");
        assertFalse(t.contains("\u001b") || t.contains("\u0007") || t.contains("\u202e"), t);
        assertTrue(t.contains("\\u001b[31mred\\u202e"), t);
        for (String line : t.split("\n")) {
            assertFalse(line.startsWith("[2026-01-01"), "a body line cannot start like an event: " + line);
        }
        assertTrue(t.contains("[unverified device]"), t);
    }

    @Test
    void repliesAreQuotedAndEditsByTheSenderReplaceTheText() throws IOException {
        ObjectNode original = ok(text(event("$orig", "@alice:x", 1000, ROOM), "first version"), "sender_verified", "olm");
        ObjectNode edit = ok(event("$edit", "@alice:x", 3000, ROOM), "sender_verified", "olm");
        ObjectNode c = edit.putObject("content");
        c.put("msgtype", "m.text").put("body", "* second version");
        c.putObject("m.new_content").put("msgtype", "m.text").put("body", "second version");
        c.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", "$orig");
        ObjectNode forged = ok(event("$forged", "@mallory:x", 4000, ROOM), "sender_verified", "olm");
        ObjectNode f = forged.putObject("content");
        f.put("msgtype", "m.text").put("body", "* forged");
        f.putObject("m.new_content").put("msgtype", "m.text").put("body", "forged version");
        f.putObject("m.relates_to").put("rel_type", "m.replace").put("event_id", "$orig");
        ObjectNode reply = ok(event("$reply", "@bob:x", 2000, ROOM), "sender_verified", "olm");
        ObjectNode rc = reply.putObject("content");
        rc.put("msgtype", "m.text").put("body", "> <@alice:x> first version\n\nI agree");
        rc.putObject("m.relates_to").putObject("m.in_reply_to").put("event_id", "$orig");
        ObjectNode dangling = ok(text(event("$dangling", "@bob:x", 5000, ROOM), "what?"), "sender_verified", "olm");
        ((ObjectNode) dangling.get("content")).putObject("m.relates_to").putObject("m.in_reply_to").put("event_id", "$elsewhere");
        // Input order differs from time order: the transcript follows time.
        Path in = write("in.jsonl", List.of(dangling, forged, edit, reply, original));
        Path out = dir.resolve("t");
        Run r = render("--in", in.toString(), "--out", out.toString(), "--format", "text");
        assertEquals(0, r.exit(), r.stderr());
        String t = only(out, "txt");
        assertTrue(t.contains("(edited)\n    second version"), t);
        assertFalse(t.contains("first version\n    id $orig"), "the edit replaces the text");
        assertFalse(t.contains("id $edit"), "an applied edit is shown through the event it edits");
        assertTrue(t.contains("forged") && t.contains("was not applied"), "an edit by someone else is not applied:\n" + t);
        assertTrue(t.contains("> In reply to @alice:x: first version\n    I agree"), "fallback stripped, quote resolved:\n" + t);
        assertTrue(t.contains("In reply to an event not in this transcript: $elsewhere"), t);
        assertTrue(t.indexOf("id $orig") < t.indexOf("id $reply") && t.indexOf("id $reply") < t.indexOf("id $forged")
                && t.indexOf("id $forged") < t.indexOf("id $dangling"), "time order:\n" + t);
        assertTrue(r.stderr().contains("rendered 5 events of 1 rooms"), r.stderr());
    }

    @Test
    void manyRoomsAndALargeRoomWithFewFilesOpenAndSmallRunsLoseNothingAndKeepTimeOrder() throws IOException {
        List<ObjectNode> events = new ArrayList<>();
        for (int room = 0; room < 40; room++) {
            for (int i = 0; i < 5; i++) {
                events.add(ok(text(event("$r" + room + "e" + i, "@u:x", i, "!r" + room + ":x"), "m" + i), "sender_verified", "olm"));
            }
        }
        List<ObjectNode> big = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            big.add(ok(text(event("$big" + i, "@u:x", 10_000 + i, "!big:x"), "b" + i), "unauthenticated", "file"));
        }
        Collections.shuffle(big, new Random(7));
        events.addAll(big);
        Collections.shuffle(events, new Random(8));
        ObjectNode noRoom = JSON.createObjectNode();
        noRoom.putObject("decryption").put("status", "BAD_EVENT").put("reason", "line 3: not JSON");
        events.add(noRoom);
        Path in = write("in.jsonl", events);
        Path out = dir.resolve("many");
        Run r = render("--in", in.toString(), "--out", out.toString(), "--format", "text", "--max-open-files", "3",
                "--run-size", "100");
        assertEquals(0, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("rendered 1,201 events of 42 rooms"), r.stderr());
        String bigRoom = Files.readString(out.resolve(HistoryRenderCommand.fileName("!big:x") + ".txt"));
        int last = -1;
        for (int i = 0; i < 1000; i++) {
            int at = bigRoom.indexOf("id $big" + i + "\n");
            assertTrue(at > last, "event " + i + " in time order");
            last = at;
        }
        String index = Files.readString(out.resolve("index.txt"));
        assertEquals(42, index.split("\n").length, index);
        String none = Files.readString(out.resolve(HistoryRenderCommand.fileName("") + ".txt"));
        assertTrue(none.contains("Unreadable item") && none.contains("BAD_EVENT: line 3: not JSON"), none);
        try (Stream<Path> left = Files.walk(out)) {
            assertTrue(left.noneMatch(p -> p.toString().contains("spill") || p.toString().endsWith(".sorted")),
                    "no spill or run file left");
        }
    }

    @Test
    void aLineThatIsNotJsonIsNamedNotQuotedAndNoOutputIsLeft() throws IOException {
        Path in = Files.writeString(dir.resolve("in.jsonl"), "{\"type\":\"m.room.message\"}\n{\"secret body\n");
        Path out = dir.resolve("o");
        Run r = render("--in", in.toString(), "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("in.jsonl line 2: not valid JSON"), r.stderr());
        assertFalse(r.stderr().contains("secret"), r.stderr());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(in), files.toList(), "neither the output nor a partial folder is left");
        }
    }

    @Test
    void aNonEmptyOutputFolderIsRefused() throws IOException {
        Path in = write("in.jsonl", List.of(ok(text(event("$1", "@a:x", 1, ROOM), "x"), "sender_verified", "olm")));
        Path out = Files.createDirectory(dir.resolve("full"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Run r = render("--in", in.toString(), "--out", out.toString());
        assertEquals(1, r.exit());
        assertTrue(r.stderr().contains("the folder is not empty"), r.stderr());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void marksFollowTheDecryptionObject() {
        assertEquals(Shield.Level.NONE, Shield.of(ok(event("$", "@a:x", 1, ROOM), "sender_verified", "olm").get("decryption"), false).level());
        assertEquals("unverified device", Shield.of(ok(event("$", "@a:x", 1, ROOM), "sender_authenticated", "olm").get("decryption"), false).label());
        Shield backup = Shield.of(ok(event("$", "@a:x", 1, ROOM), "unauthenticated", "backup").get("decryption"), false);
        assertEquals(Shield.Level.GREY, backup.level());
        assertTrue(backup.detail().contains("a key backup"));
        ObjectNode plain = event("$", "@a:x", 1, ROOM);
        plain.putObject("decryption").put("status", "not_encrypted");
        assertEquals("not encrypted", Shield.of(plain.get("decryption"), false).label());
        assertEquals(Shield.Level.NONE, Shield.of(plain.get("decryption"), true).level(), "state events are never encrypted");
        ObjectNode conflict = ok(event("$", "@a:x", 1, ROOM), "sender_verified", "olm");
        ((ObjectNode) conflict.get("decryption")).put("key_copies", 2);
        assertEquals("conflicting keys", Shield.of(conflict.get("decryption"), false).label());
        assertEquals(Shield.Level.RED, Shield.of(null, false).level(), "a line panolm did not decrypt is marked");
    }
}
