package org.panolm.benchmarks.megolm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.PreparedBatch;
import org.panolm.megolm.SessionKey;

/**
 * A room history laid out once in native memory for panolm's batch path, as a client streaming events
 * into a segment would: base64 ciphertexts, event ids and the room id. {@link #prepare()} imports the
 * sessions afresh (bound to the room) and describes the batch over that segment; {@link #decrypt()} is
 * the one downcall. Not thread-safe.
 */
final class PanolmHistory implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment input;
    private final List<SessionKey> keys = new ArrayList<>();
    private final long[] ciphertextOffsets;
    private final int[] ciphertextLengths;
    private final int[] sessionOfMessage;
    private final long[] eventIdOffsets;
    private final int[] eventIdLengths;
    private final long roomOffset;
    private final int roomLength;
    private final BulkDecryptor decryptor;
    private final List<MegolmInboundSession> sessions = new ArrayList<>();
    private PreparedBatch batch;

    PanolmHistory(RoomHistory history, int threads) {
        int n = history.entries.size();
        byte[] room = MegolmCorpus.ROOM_ID.getBytes(StandardCharsets.UTF_8);
        List<byte[]> eventIds = new ArrayList<>(n);
        long size = room.length;
        for (int i = 0; i < n; i++) {
            byte[] id = ("$event" + i + ":x.y").getBytes(StandardCharsets.UTF_8);
            eventIds.add(id);
            size += id.length + history.entries.get(i).base64Message().length;
        }
        input = arena.allocate(size);
        ciphertextOffsets = new long[n];
        ciphertextLengths = new int[n];
        sessionOfMessage = new int[n];
        eventIdOffsets = new long[n];
        eventIdLengths = new int[n];
        long at = put(room, 0);
        roomOffset = 0;
        roomLength = room.length;
        for (int i = 0; i < n; i++) {
            RoomHistory.Entry e = history.entries.get(i);
            ciphertextOffsets[i] = at;
            ciphertextLengths[i] = e.base64Message().length;
            at = put(e.base64Message(), at);
            eventIdOffsets[i] = at;
            eventIdLengths[i] = eventIds.get(i).length;
            at = put(eventIds.get(i), at);
            sessionOfMessage[i] = e.session();
        }
        for (MegolmCorpus.SessionMessages s : history.sessions) keys.add(SessionKey.fromBase64(s.sessionKey()));
        decryptor = new BulkDecryptor(threads);
    }

    private long put(byte[] bytes, long at) {
        MemorySegment.copy(bytes, 0, input, ValueLayout.JAVA_BYTE, at, bytes.length);
        return at + bytes.length;
    }

    /** Fresh sessions, as right after receiving their keys, and the batch described over the input. */
    void prepare() {
        release();
        for (SessionKey k : keys) sessions.add(MegolmInboundSession.create(k, MegolmCorpus.ROOM_ID));
        batch = PreparedBatch.over(input, ciphertextOffsets.length);
        int[] slots = new int[sessions.size()];
        for (int s = 0; s < slots.length; s++) slots[s] = batch.session(sessions.get(s));
        for (int i = 0; i < ciphertextOffsets.length; i++) {
            batch.add(slots[sessionOfMessage[i]], ciphertextOffsets[i], ciphertextLengths[i], eventIdOffsets[i],
                    eventIdLengths[i], roomOffset, roomLength);
        }
    }

    /** Decrypts the batch; fails unless every message decrypted. Returns the plaintext bytes produced. */
    long decrypt() {
        BatchResults r = decryptor.decrypt(batch);
        long bytes = 0;
        for (int i = 0; i < r.size(); i++) {
            if (!r.isOk(i)) throw new IllegalStateException("message " + i + ": " + r.status(i));
            bytes += r.plaintextLength(i);
        }
        return bytes;
    }

    /** The last results, for the smoke test. */
    BatchResults results() {
        return decryptor.decrypt(batch);
    }

    void release() {
        if (batch != null) batch.close();
        batch = null;
        sessions.forEach(MegolmInboundSession::close);
        sessions.clear();
    }

    @Override
    public void close() {
        release();
        arena.close();
    }
}
