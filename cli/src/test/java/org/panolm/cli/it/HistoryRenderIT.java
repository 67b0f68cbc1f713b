package org.panolm.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code panolm history decrypt} then {@code panolm history render}, as processes, on the history python3-olm
 * made: one transcript per room, every event in it with its mark.
 */
class HistoryRenderIT {
    @TempDir
    Path dir;

    private final History h = History.get();

    @Test
    void aDecryptedLibolmHistoryBecomesOneTranscriptPerRoomWithEveryEventAndItsStatus() throws Exception {
        Path keys = History.write(dir, "keys.json", h.keys.toString());
        Path in = History.write(dir, "history.jsonl", History.jsonLines(h.events));
        Path decrypted = dir.resolve("decrypted.jsonl");
        Cli.run("history", "decrypt", "--keys", keys.toString(), "--in", in.toString(), "--out", decrypted.toString())
                .expectExit(2);
        for (String format : List.of("html", "text")) {
            Path out = dir.resolve("transcripts-" + format);
            Cli.Result r = Cli.run("history", "render", "--in", decrypted.toString(), "--out", out.toString(),
                    "--format", format).expectExit(0);
            assertTrue(r.lastErrLine().startsWith("panolm: rendered " + h.events.size() + " events of " + h.rooms.size()
                    + " rooms"), r.stderr());
            String ext = format.equals("html") ? "html" : "txt";
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(h.rooms.size() + 1, files.count(), "one file per room and the index");
            }
            for (ObjectNode e : h.events) {
                String room = e.get("room_id").asText();
                String transcript = Files.readString(out.resolve(
                        org.panolm.cli.render.HistoryRenderCommand.fileName(room) + "." + ext));
                String id = e.get("event_id").asText();
                assertTrue(transcript.contains(id), id + " in the transcript of " + room);
                JsonNode want = h.expected.get(id);
                String status = want.get("status").asText();
                if (status.equals("ok") && want.at("/content/body").isTextual()) {
                    String body = want.at("/content/body").asText();
                    assertTrue(transcript.contains(format.equals("html") ? escape(body) : body), body);
                } else if (!status.equals("ok") && !status.equals("not_encrypted")) {
                    assertTrue(transcript.contains(status), status + " shown for " + id);
                }
            }
            String index = Files.readString(out.resolve("index." + ext));
            for (String room : h.rooms) {
                assertTrue(index.contains(format.equals("html") ? escape(room) : room), room + " in the index");
            }
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
