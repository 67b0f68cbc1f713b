package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.Status;

/**
 * Replay verdicts do not depend on the order of the input nor on how it is split into batches
 * (docs/formats.md §11.3). Before, the later of two events sharing a message index was the replay, so a
 * newest-first history marked the genuine event REPLAYED and the copy OK. Now every event whose index
 * carries a valid signature under another event id is a replay, a repeated event (same id) is not, and a
 * forged copy (bad signature) makes nothing a replay.
 */
class ReplayVerdictTest {
    private static final String ROOM = "!r:x";

    /** One event of the test history; {@code label} names this copy (a repeated event has two labels). */
    record Event(String label, int session, String eventId, String ciphertext) {}

    private final List<String> sessionKeys = new ArrayList<>();
    private final List<Event> history = new ArrayList<>();
    private final Map<String, Status> expected = new LinkedHashMap<>();

    ReplayVerdictTest() {
        List<List<String>> sent = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            try (MegolmOutboundSession out = MegolmOutboundSession.create()) {
                sessionKeys.add(out.sessionKey().toBase64());
                List<String> messages = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String ct = out.encrypt("{\"room_id\":\"" + ROOM + "\",\"s\":" + s + ",\"i\":" + i + "}");
                    messages.add(ct);
                    add("$" + s + "-" + i, s, "$" + s + "-" + i, ct, Status.OK);
                }
                sent.add(messages);
            }
        }
        // A replay: session 0's message 3 again under a new id. Both copies are replays.
        add("$replay-0-3", 0, "$replay-0-3", sent.get(0).get(3), Status.REPLAYED_INDEX);
        expected.put("$0-3", Status.REPLAYED_INDEX);
        // Replayed twice.
        add("$r1a", 1, "$r1a", sent.get(1).get(5), Status.REPLAYED_INDEX);
        add("$r1b", 1, "$r1b", sent.get(1).get(5), Status.REPLAYED_INDEX);
        expected.put("$1-5", Status.REPLAYED_INDEX);
        // The same event twice (a re-fetch): not a replay.
        add("$2-2 again", 2, "$2-2", sent.get(2).get(2), Status.OK);
        // Forged copies at genuine indices under new ids: refused, and the genuine events stay OK.
        add("$forged-0-7", 0, "$forged-0-7", breakSignature(sent.get(0).get(7)), Status.BAD_SIGNATURE);
        add("$forged-2-4", 2, "$forged-2-4", breakSignature(sent.get(2).get(4)), Status.BAD_SIGNATURE);
    }

    private void add(String label, int session, String eventId, String ciphertext, Status status) {
        history.add(new Event(label, session, eventId, ciphertext));
        expected.put(label, status);
    }

    private static String breakSignature(String ciphertext) {
        byte[] bytes = Base64.getDecoder().decode(ciphertext);
        bytes[bytes.length - 1] ^= 1;
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String event(String eventId, String sessionId, String ciphertext) {
        return "{\"type\":\"m.room.encrypted\",\"event_id\":\"" + eventId + "\",\"room_id\":\"" + ROOM + "\","
                + "\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"session_id\":\"" + sessionId
                + "\",\"ciphertext\":\"" + ciphertext + "\"}}";
    }

    /**
     * Decrypts {@code order} in batches of {@code batchSize} with fresh sessions, after a scan when asked;
     * returns each label's status.
     */
    private Map<String, Status> verdicts(List<Event> order, int batchSize, boolean scan) {
        List<MegolmInboundSession> sessions = new ArrayList<>();
        for (String key : sessionKeys) sessions.add(MegolmInboundSession.create(SessionKey.fromBase64(key), ROOM));
        Map<String, MegolmInboundSession> byId = new HashMap<>();
        for (MegolmInboundSession s : sessions) byId.put(s.sessionId(), s);
        List<List<Event>> batches = new ArrayList<>();
        for (int i = 0; i < order.size(); i += batchSize) {
            batches.add(order.subList(i, Math.min(order.size(), i + batchSize)));
        }
        Map<String, Status> out = new HashMap<>();
        try (PreparedBatch batch = PreparedBatch.create(batchSize)) {
            if (scan) {
                ReplayScan replays = new ReplayScan(2);
                for (List<Event> events : batches) {
                    fill(batch, events, sessions, byId);
                    replays.note(batch);
                }
                if (replays.needsConfirmation()) {
                    for (List<Event> events : batches) {
                        fill(batch, events, sessions, byId);
                        replays.confirm(batch);
                    }
                }
            }
            BulkDecryptor bulk = new BulkDecryptor(2);
            for (List<Event> events : batches) {
                fill(batch, events, sessions, byId);
                BatchResults r = bulk.decrypt(batch);
                for (int i = 0; i < events.size(); i++) {
                    out.put(events.get(i).label(), r.status(i));
                }
            }
        } finally {
            sessions.forEach(MegolmInboundSession::close);
        }
        return out;
    }

    private static void fill(PreparedBatch batch, List<Event> events, List<MegolmInboundSession> sessions,
                             Map<String, MegolmInboundSession> byId) {
        batch.clear();
        for (Event e : events) {
            batch.addEvent(event(e.eventId(), sessions.get(e.session()).sessionId(), e.ciphertext()), byId::get);
        }
    }

    @Test
    void shuffledAndReversedInputsGiveTheSameVerdicts() {
        List<List<Event>> orders = new ArrayList<>();
        orders.add(history);
        List<Event> reversed = new ArrayList<>(history);
        Collections.reverse(reversed);
        orders.add(reversed);
        Random rnd = new Random(11);
        for (int k = 0; k < 3; k++) {
            List<Event> shuffled = new ArrayList<>(history);
            Collections.shuffle(shuffled, rnd);
            orders.add(shuffled);
        }
        for (List<Event> order : orders) {
            // One batch: the batch judges every event with all of them in view, scan or not.
            assertEquals(expected, verdicts(order, order.size(), false), "one batch, " + labels(order));
            // Split across batches: the scan makes the verdicts those of the whole input.
            for (int size : new int[] {1, 5, 13}) {
                assertEquals(expected, verdicts(order, size, true), "batches of " + size + ", " + labels(order));
            }
        }
    }

    private static List<String> labels(List<Event> order) {
        return order.stream().map(Event::label).toList();
    }

    @Test
    void withoutAScanTheFirstSignedIdStaysAndTheIndexIsFlaggedFromThenOn() {
        // The documented fallback when a caller cannot scan: across batches, the copy that comes later is the
        // replay, and from then on the index is conflicted, so the first id is refused too.
        Event genuine = history.get(3);
        Event copy = history.stream().filter(e -> e.label().equals("$replay-0-3")).findFirst().orElseThrow();
        List<MegolmInboundSession> sessions = new ArrayList<>();
        for (String key : sessionKeys) sessions.add(MegolmInboundSession.create(SessionKey.fromBase64(key), ROOM));
        Map<String, MegolmInboundSession> byId = new HashMap<>();
        for (MegolmInboundSession s : sessions) byId.put(s.sessionId(), s);
        try (PreparedBatch batch = PreparedBatch.create(1)) {
            BulkDecryptor bulk = new BulkDecryptor(1);
            fill(batch, List.of(genuine), sessions, byId);
            assertEquals(Status.OK, bulk.decrypt(batch).status(0));
            fill(batch, List.of(copy), sessions, byId);
            assertEquals(Status.REPLAYED_INDEX, bulk.decrypt(batch).status(0));
            fill(batch, List.of(genuine), sessions, byId);
            assertEquals(Status.REPLAYED_INDEX, bulk.decrypt(batch).status(0));
        } finally {
            sessions.forEach(MegolmInboundSession::close);
        }
    }

    /**
     * Replay tables stay compact: about 15 to 18 bytes per message index remembered (12-byte entries at a
     * load of 2/3 to 4/5), measured on the session's own table after 20,000 messages, decrypted, noted by a
     * scan, and decrypted again (which must not grow it). The old table kept 24-byte entries at a load of at
     * most 1/2 and doubled: 48 to 96 bytes per index.
     */
    @Test
    void replayTablesStayCompact() {
        int n = 20_000;
        try (MegolmOutboundSession out = MegolmOutboundSession.create();
             MegolmInboundSession decrypted = MegolmInboundSession.create(out.sessionKey(), ROOM);
             MegolmInboundSession scanned = MegolmInboundSession.create(out.sessionKey(), ROOM);
             PreparedBatch batch = PreparedBatch.create(n)) {
            Map<String, MegolmInboundSession> byDecrypted = Map.of(decrypted.sessionId(), decrypted);
            Map<String, MegolmInboundSession> byScanned = Map.of(scanned.sessionId(), scanned);
            List<String> events = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                events.add(event("$e" + i, out.sessionId(), out.encrypt("{\"room_id\":\"" + ROOM + "\"}")));
            }
            BulkDecryptor bulk = new BulkDecryptor(2);
            for (String e : events) batch.addEvent(e, byDecrypted::get);
            BatchResults r = bulk.decrypt(batch);
            for (int i = 0; i < n; i++) assertEquals(Status.OK, r.status(i));
            assertEquals(n, decrypted.replayEntries());
            double perIndex = (double) decrypted.replayTableBytes() / n;
            assertTrue(perIndex >= 12 && perIndex <= 20, perIndex + " bytes per index");
            long bytes = decrypted.replayTableBytes();
            bulk.decrypt(batch);
            assertEquals(bytes, decrypted.replayTableBytes(), "decrypting the same events again grows nothing");

            batch.clear();
            for (String e : events) batch.addEvent(e, byScanned::get);
            new ReplayScan(2).note(batch);
            assertEquals(n, scanned.replayEntries());
            double scannedPerIndex = (double) scanned.replayTableBytes() / n;
            assertTrue(scannedPerIndex <= 20, scannedPerIndex + " bytes per index after a scan");
        }
    }
}
