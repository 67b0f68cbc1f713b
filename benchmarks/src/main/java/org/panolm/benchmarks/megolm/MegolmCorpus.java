package org.panolm.benchmarks.megolm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.panolm.benchmarks.libolm.LibolmOutboundGroupSession;

/**
 * Megolm messages made once, before timing, by libolm (the reference sender): plaintexts are room-event
 * JSON of an exact byte size with the room id inside, as clients send them.
 */
public final class MegolmCorpus {
    private MegolmCorpus() {}

    public static final String ROOM_ID = "!bench:x.y";

    /** The messages of one session, in the order they were sent (index 0 first). */
    public record SessionMessages(String sessionKey, String sessionId, List<byte[]> base64Messages,
                                  List<byte[]> plaintexts) {
        public int maxMessageLength() {
            return base64Messages.stream().mapToInt(m -> m.length).max().orElse(0);
        }
    }

    /** A room event of exactly {@code size} bytes of UTF-8 JSON (at least 64), numbered in its body. */
    public static byte[] plaintext(int size, long seq) {
        String head = "{\"type\":\"m.text\",\"content\":{\"body\":\"";
        String tail = "\"},\"room_id\":\"" + ROOM_ID + "\"}";
        StringBuilder body = new StringBuilder().append(seq).append(' ');
        int want = size - head.length() - tail.length();
        while (body.length() < want) body.append((char) ('a' + body.length() % 26));
        if (want < 2) throw new IllegalArgumentException("no room event is as short as " + size + " bytes");
        body.setLength(want);
        return (head + body + tail).getBytes(StandardCharsets.UTF_8);
    }

    public static SessionMessages session(int plaintextSize, int count) {
        try (var out = new LibolmOutboundGroupSession(plaintextSize)) {
            String key = out.sessionKey();
            List<byte[]> messages = new ArrayList<>(count);
            List<byte[]> plaintexts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] p = plaintext(plaintextSize, i);
                plaintexts.add(p);
                messages.add(out.encryptToBytes(p));
            }
            return new SessionMessages(key, out.sessionId(), List.copyOf(messages), List.copyOf(plaintexts));
        }
    }

    public static List<SessionMessages> sessions(int sessions, int perSession, int plaintextSize) {
        List<SessionMessages> all = new ArrayList<>(sessions);
        for (int s = 0; s < sessions; s++) all.add(session(plaintextSize, perSession));
        return all;
    }
}
