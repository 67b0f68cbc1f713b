package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;

/**
 * The streamed restore gives what the in-memory restore gives for the same body: the same keys in the same
 * order and the same failures (same room, session, field, status and text), on random bodies with every
 * kind of damaged entry the lenient reader sets apart, with and without a filter, and across many batches.
 */
class StreamedRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyProvenance.RestoredFromBackup FROM = new KeyProvenance.RestoredFromBackup("7", false);

    /** What a sink received. */
    static final class Collected implements RestoreSink {
        final List<RoomKeyRecord> keys = new ArrayList<>();
        final List<RestoreFailure> failures = new ArrayList<>();

        @Override
        public void restored(RoomKeyRecord key) {
            keys.add(key);
        }

        @Override
        public void failed(RestoreFailure failure) {
            failures.add(failure);
        }
    }

    @Test
    void randomDamagedBodiesRestoreAsTheyDoInMemory() throws Exception {
        Random random = new Random(17);
        List<RoomKeyRecord> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            records.add(RoomKeyFixtures.record("!room" + (i % 5) + ":example.org", i % 3, RoomKeyFixtures.UNAUTHENTICATED, i % 2));
        }
        try (var key = BackupDecryptionKey.generate(); var other = BackupDecryptionKey.generate()) {
            ObjectNode clean = (ObjectNode) JSON.readTree(key.publicKey().encrypt(records).toJson());
            ObjectNode foreign = (ObjectNode) JSON.readTree(other.publicKey().encrypt(records.subList(0, 5)).toJson());
            int failures = 0;
            for (int round = 0; round < 60; round++) {
                ObjectNode body = clean.deepCopy();
                damage(body, foreign, random);
                byte[] bytes = JSON.writeValueAsBytes(body);
                SessionFilter filter = round % 4 == 3
                        ? SessionFilter.rooms(Set.of("!room1:example.org", "!number:example.org", "!sessions:example.org"))
                        : SessionFilter.all();
                failures += assertSame(key, bytes, filter, 1 + round % 2, "round " + round).failures.size();
            }
            assertTrue(failures > 60, "the damage reached the restores: " + failures + " failures");
        }
    }

    @Test
    void manyBatchesKeepTheBodysOrder() throws Exception {
        // More entries than one streamed batch, in few rooms, so batches end inside rooms.
        try (var key = BackupDecryptionKey.generate()) {
            int rooms_ = BackupBatch.STREAM_BATCH * 5 / 2 / 50 + 1;
            ObjectNode body = roomsOfFifty(key, rooms_);
            Collected streamed = assertSame(key, JSON.writeValueAsBytes(body), SessionFilter.all(), 0, "batches");
            assertEquals(rooms_ * 50, streamed.keys.size());
        }
    }

    @Test
    void aBodyBrokenLaterFailsAfterEveryWholeBatchBeforeTheBreakWasHandedOn() throws Exception {
        // The next batch is read while one is decrypted: a break in batch three still comes after batches one
        // and two reached the sink, and the reading thread is done with the stream when restore returns.
        try (var key = BackupDecryptionKey.generate()) {
            int rooms_ = BackupBatch.STREAM_BATCH * 5 / 2 / 50 + 1;
            ObjectNode body = roomsOfFifty(key, rooms_);
            String text = JSON.writeValueAsString(body);
            byte[] broken = text.substring(0, text.length() - 40).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            boolean[] closed = {false};
            ByteArrayInputStream in = new ByteArrayInputStream(broken) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };
            Collected streamed = new Collected();
            PanolmException e = assertThrows(PanolmException.class,
                    () -> key.restore(in, SessionFilter.all(), 0, FROM, streamed));
            assertEquals(Status.BAD_EVENT, e.status());
            assertEquals(2 * BackupBatch.STREAM_BATCH, streamed.keys.size(), "the whole batches before the break");
            assertTrue(streamed.failures.isEmpty());
            assertFalse(closed[0], "the caller's stream is left to the caller");
            assertEquals(0, in.available(), "read to the break, and no further reading after restore returned");
        }
    }

    @Test
    void aSinkThatFailsStopsTheRestoreOnceNoThreadUsesTheKeyOrTheBody() throws Exception {
        // The next batch is decrypted and the one after read while the sink takes a batch: when the sink
        // throws, restore waits for both before it rethrows, since the caller then closes the key and the body.
        try (var key = BackupDecryptionKey.generate()) {
            int rooms_ = BackupBatch.STREAM_BATCH * 4 / 50 + 1;
            ObjectNode body = roomsOfFifty(key, rooms_);
            ByteArrayInputStream in = new ByteArrayInputStream(JSON.writeValueAsBytes(body));
            IllegalStateException full = new IllegalStateException("disk full");
            int[] seen = {0};
            RestoreSink failing = new RestoreSink() {
                @Override
                public void restored(RoomKeyRecord k) {
                    if (++seen[0] == BackupBatch.STREAM_BATCH + 5) throw full;
                }

                @Override
                public void failed(RestoreFailure failure) {
                    throw new AssertionError(failure.toString());
                }
            };
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> key.restore(in, SessionFilter.all(), 0, FROM, failing));
            assertTrue(e == full, "the sink's own exception");
            assertEquals(BackupBatch.STREAM_BATCH + 5, seen[0], "nothing handed on after the failure");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                assertFalse(t.getName().startsWith("panolm-backup-") && t.isAlive()
                        && java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().contains("BackupBatch")),
                        "no restore thread still at work: " + t.getName());
            }
        }
    }

    /** A body of {@code rooms} rooms, each holding the same 50 distinct sessions: many entries in few rooms. */
    private static ObjectNode roomsOfFifty(BackupDecryptionKey key, int rooms) throws IOException {
        List<RoomKeyRecord> distinct = new ArrayList<>();
        for (int i = 0; i < 50; i++) distinct.add(RoomKeyFixtures.record("!r:example.org", 0, RoomKeyFixtures.UNAUTHENTICATED, 0));
        JsonNode sessions = JSON.readTree(key.publicKey().encrypt(distinct).toJson()).get("rooms").get("!r:example.org").get("sessions");
        ObjectNode body = JSON.createObjectNode();
        ObjectNode byRoom = body.putObject("rooms");
        for (int r = 0; r < rooms; r++) byRoom.putObject("!r" + r + ":example.org").set("sessions", sessions);
        return body;
    }

    private static Collected assertSame(BackupDecryptionKey key, byte[] body, SessionFilter filter, int threads,
                                        String what) throws IOException {
        RestoreResult whole = key.decrypt(RoomKeysBody.fromJson(body), filter, threads, FROM);
        Collected streamed = new Collected();
        key.restore(new ByteArrayInputStream(body), filter, threads, FROM, streamed);
        assertEquals(whole.keys(), streamed.keys, what + ": the same keys in the same order");
        // The whole body's result lists schema failures first; the stream reports each where it is.
        assertEquals(describe(whole.failures()), describe(streamed.failures), what + ": the same failures");
        return streamed;
    }

    private static List<String> describe(List<RestoreFailure> failures) {
        List<String> out = new ArrayList<>();
        for (RestoreFailure f : failures) {
            out.add(f.roomId() + " | " + f.sessionId() + " | " + f.field() + " | " + f.error().status() + " | "
                    + f.error().getMessage());
        }
        out.sort(null);
        return out;
    }

    /** A few random kinds of damage, each one a case the lenient reader or the restore handles. */
    private static void damage(ObjectNode body, ObjectNode foreign, Random random) {
        ObjectNode rooms = (ObjectNode) body.get("rooms");
        List<ObjectNode> entries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> r = rooms.fields(); r.hasNext(); ) {
            var room = r.next();
            for (Iterator<Map.Entry<String, JsonNode>> s = room.getValue().get("sessions").fields(); s.hasNext(); ) {
                var session = s.next();
                entries.add((ObjectNode) session.getValue());
                ids.add(room.getKey() + "\u0000" + session.getKey());
            }
        }
        int kinds = 1 + random.nextInt(6);
        for (int k = 0; k < kinds; k++) {
            int i = random.nextInt(entries.size());
            ObjectNode e = entries.get(i);
            ObjectNode data = (ObjectNode) e.get("session_data");
            String[] id = ids.get(i).split("\u0000");
            ObjectNode sessions = (ObjectNode) rooms.get(id[0]).get("sessions");
            switch (random.nextInt(20)) {
                case 0 -> e.put("first_message_index", "not a number");
                case 1 -> e.put("first_message_index", "5"); // coerced by data binding
                case 2 -> e.put("forwarded_count", 1.5);
                case 3 -> e.put("is_verified", "yes");
                case 4 -> e.putArray("session_data");
                case 5 -> e.remove("session_data");
                case 6 -> data.put("mac", "AAAA");
                case 7 -> data.put("ephemeral", "not base64!");
                case 8 -> data.put("ciphertext", 12);
                case 9 -> data.remove("ciphertext");
                case 10 -> sessions.put(id[1], 7);
                case 11 -> sessions.putNull(id[1]);
                case 12 -> rooms.put("!number:example.org", 5);
                case 13 -> rooms.putObject("!sessions:example.org").put("sessions", "nope");
                case 14 -> rooms.putNull("!null:example.org");
                case 15 -> e.put("unknown_field", "ignored").put("first_message_index", new java.math.BigInteger("99999999999999999999"));
                case 16 -> e.set("session_data", foreign.get("rooms").fields().next().getValue().get("sessions")
                        .elements().next().get("session_data").deepCopy()); // encrypted for another key: BAD_MAC
                case 17 -> {
                    // Another session's entry filed under this id: its key belongs to another session.
                    ObjectNode swapped = entries.get((i + 1) % entries.size()).deepCopy();
                    sessions.set(id[1], swapped);
                }
                case 18 -> rooms.putObject("!" + "a".repeat(300) + ":example.org").putObject("sessions")
                        .set(id[1], e.deepCopy());
                default -> body.put("unknown_top_level", "ignored");
            }
        }
    }

    @Test
    void wholeBodyErrorsAreTheSameAndNeverQuoteTheInput() throws Exception {
        String secret = "EsTcSecretKeyMaterial";
        try (var key = BackupDecryptionKey.generate()) {
            for (String body : List.of("[1,2]", "\"x\"", "{\"rooms\":[]}", "{\"rooms\":{\"!r:x\":{\"sessions\":{\"s\":"
                    + secret, "{\"rooms\":{}, \"rooms\":{}}", secret, "")) {
                PanolmException e = assertThrows(PanolmException.class,
                        () -> key.restore(new ByteArrayInputStream(body.getBytes()), SessionFilter.all(), 1, FROM, new Collected()),
                        body);
                assertEquals(Status.BAD_EVENT, e.status(), body);
                assertFalse(e.getMessage().contains("EsTc"), e.getMessage());
            }
        }
    }

    @Test
    void theStreamIsNotClosedAndALockedKeyIsRefused() throws Exception {
        boolean[] closed = {false};
        var in = new ByteArrayInputStream("{\"rooms\":{}}".getBytes()) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        var key = BackupDecryptionKey.generate();
        Collected sink = new Collected();
        key.restore(in, SessionFilter.all(), 0, FROM, sink);
        assertFalse(closed[0], "the caller's stream stays open");
        assertTrue(sink.keys.isEmpty() && sink.failures.isEmpty());
        key.close();
        assertThrows(IllegalStateException.class,
                () -> key.restore(new ByteArrayInputStream(new byte[0]), SessionFilter.all(), 0, FROM, sink));
    }
}
