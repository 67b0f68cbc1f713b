package org.panolm.benchmarks.megolm;

import java.util.ArrayList;
import java.util.List;

/**
 * A room's history as a batch: several senders' sessions, their messages interleaved as they were sent
 * (round robin), then laid out in the order a client meets them.
 */
public final class RoomHistory {
    /** One message of the batch: which session, and its base64 ciphertext. */
    public record Entry(int session, byte[] base64Message, byte[] plaintext) {}

    public final List<MegolmCorpus.SessionMessages> sessions;
    public final List<Entry> entries;

    public RoomHistory(int sessionCount, int perSession, int plaintextSize, Order order) {
        this(MegolmCorpus.sessions(sessionCount, perSession, plaintextSize), order);
    }

    /** Sessions of equal length, their messages interleaved as sent, then laid out in {@code order}. */
    public RoomHistory(List<MegolmCorpus.SessionMessages> sessions, Order order) {
        this.sessions = List.copyOf(sessions);
        int sessionCount = sessions.size();
        int perSession = sessions.getFirst().base64Messages().size();
        List<Entry> sent = new ArrayList<>(sessionCount * perSession);
        for (int i = 0; i < perSession; i++) {
            for (int s = 0; s < sessionCount; s++) {
                sent.add(new Entry(s, sessions.get(s).base64Messages().get(i), sessions.get(s).plaintexts().get(i)));
            }
        }
        List<Entry> laid = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) laid.add(sent.get(order.position(i, sent.size())));
        entries = List.copyOf(laid);
    }

    public int maxMessageLength() {
        return sessions.stream().mapToInt(MegolmCorpus.SessionMessages::maxMessageLength).max().orElse(0);
    }
}
