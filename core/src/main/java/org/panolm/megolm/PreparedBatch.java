package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.panolm.megolm.BatchLayout.*;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_megolm_h;
import org.panolm.internal.SafeJson;
import org.panolm.internal.json.TreeBatches;

/**
 * The messages of one batch, described natively for {@link BulkDecryptor}: offsets and lengths into one
 * input segment (base64 ciphertext, event id, room id), a session slot per message, and the reusable
 * output and result segments the batch fills. Build it from Matrix events ({@link #addEvent}) or, on the
 * allocation-free path, over your own input segment ({@link #over}, {@link #session}, {@link #add}).
 * {@link #clear()} empties it for reuse while keeping its memory; close it to free (and wipe) its memory.
 *
 * <p>Threads: a batch locks itself, so each method (adding, clearing, decrypting, closing, and every read of
 * its {@link BatchResults}) runs whole, one at a time; a batch may be filled on one thread and decrypted or
 * read on another. Sharing one batch between concurrent producers is memory-safe but rarely useful: their
 * events interleave and each decryption's results go stale at the next change (see {@link BatchResults}).
 * Locking, rather than confining a batch to its creating thread, keeps hand-offs between pipeline stages
 * legal; an uncontended lock costs nothing measurable beside the native call.
 *
 * <p>A session slot may carry other copies of its session ({@link #session(MegolmInboundSession, List)},
 * or a {@link SessionLookup#copies} with several): a message that fails {@code BAD_MAC} or
 * {@code UNKNOWN_INDEX} under the first copy is decrypted again with each other copy in turn, in follow-up
 * batches, and {@link BatchResults#copyIndex}/{@link BatchResults#provenance} say which copy it was.
 */
public final class PreparedBatch implements AutoCloseable {
    /** The slot of a message whose session is not known: it fails with {@link Status#UNKNOWN_SESSION}. */
    public static final int NO_SESSION = -1;
    /** The {@code algorithm} of the events a batch decrypts. */
    public static final String MEGOLM_ALGORITHM = "m.megolm.v1.aes-sha2";
    /** The {@code type} of the events a batch decrypts. */
    public static final String ENCRYPTED_EVENT_TYPE = "m.room.encrypted";

    private static final ObjectMapper JSON = SafeJson.mapper();

    private final MemorySegment callerInput;
    private final GrowableSegment ownInput;
    private long inputUsed;

    private final GrowableSegment messages;
    private final GrowableSegment results;
    private final GrowableSegment output;
    private final GrowableSegment sessionTable;
    private final GrowableSegment scanCount;
    private int count;
    private long outputBound;

    private MegolmInboundSession[] sessions = new MegolmInboundSession[16];
    private int sessionCount;
    private final Map<MegolmInboundSession, Integer> slots = new IdentityHashMap<>();
    /** Other copies of the slots' sessions, and which copy decided each message. */
    private final CopySlots copies = new CopySlots();

    /** Statuses decided in Java (a malformed event) and their reasons; 0 = decided natively. */
    private int[] javaStatus = new int[0];
    private String[] javaReason = new String[0];

    private final ReentrantLock lock = new ReentrantLock();
    /** Changes with every change of the batch: results carry the one they were made in. */
    private long generation;
    private MemorySegment lastOutput;
    private boolean decrypted;
    /** The batch's own output holds something (plaintexts, or a scan's decoded messages) until cleared. */
    private boolean ownOutputUsed;
    private boolean closed;

    private PreparedBatch(MemorySegment callerInput, int expectedMessages) {
        this.callerInput = callerInput;
        this.ownInput = callerInput == null ? new GrowableSegment(256L * Math.max(expectedMessages, 1), false) : null;
        int n = Math.max(expectedMessages, 16);
        this.messages = new GrowableSegment(MESSAGE.byteSize() * n, false);
        this.results = new GrowableSegment(RESULT.byteSize() * n, false);
        this.output = new GrowableSegment(256L * n, true);
        this.sessionTable = new GrowableSegment(ADDRESS.byteSize() * 16, false);
        this.scanCount = new GrowableSegment(JAVA_LONG.byteSize(), false);
    }

    /**
     * A batch with its own input memory, filled by {@link #addEvent} or {@link #appendInput}.
     *
     * @param expectedMessages how many messages to size the batch for (it grows)
     * @return the batch; the caller closes it
     */
    public static PreparedBatch create(int expectedMessages) {
        return new PreparedBatch(null, expectedMessages);
    }

    /**
     * A batch over a caller-owned input segment, which must stay alive and unchanged until decrypted.
     *
     * @param input the input holding ciphertexts, event ids and room ids
     * @param expectedMessages how many messages to size the batch for (it grows)
     * @return the batch; the caller closes it
     */
    public static PreparedBatch over(MemorySegment input, int expectedMessages) {
        if (input == null || !input.isNative()) {
            throw new IllegalArgumentException("the input must be a native memory segment");
        }
        return new PreparedBatch(input, expectedMessages);
    }

    /**
     * The input segment that message offsets refer to.
     *
     * @return the input segment
     */
    public MemorySegment input() {
        lock.lock();
        try {
            checkOpen();
            return callerInput != null ? callerInput : ownInput.segment();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Copies bytes to the end of the batch's own input; returns their offset.
     *
     * @param bytes the bytes to append
     * @return their offset in {@link #input()}
     */
    public long appendInput(byte[] bytes) {
        lock.lock();
        try {
            checkOpen();
            if (ownInput == null) {
                throw new IllegalStateException("this batch reads a caller-owned input segment");
            }
            MemorySegment in = ownInput.ensure(inputUsed + bytes.length, inputUsed);
            MemorySegment.copy(bytes, 0, in, JAVA_BYTE, inputUsed, bytes.length);
            long at = inputUsed;
            inputUsed += bytes.length;
            changed();
            return at;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The slot of a session in this batch's session table (added on first use).
     *
     * @param session the session
     * @return its slot
     */
    public int session(MegolmInboundSession session) {
        lock.lock();
        try {
            checkOpen();
            Integer slot = slots.get(session);
            if (slot != null) {
                return slot;
            }
            if (session.isClosed()) {
                throw new IllegalStateException("Megolm inbound session is closed");
            }
            if (sessionCount == sessions.length) {
                sessions = Arrays.copyOf(sessions, sessionCount * 2);
            }
            sessions[sessionCount] = session;
            slots.put(session, sessionCount);
            changed();
            return sessionCount++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The slot of {@code primary}, with other copies of its session (ratchets that do not connect to it) to
     * retry a message with when it fails {@code BAD_MAC} or {@code UNKNOWN_INDEX} under {@code primary}; tried
     * in the order given. A slot keeps the copies it was first given.
     *
     * @param primary the session to decrypt with first
     * @param others the other copies of its session
     * @return the slot
     */
    public int session(MegolmInboundSession primary, List<MegolmInboundSession> others) {
        lock.lock();
        try {
            int slot = session(primary);
            copies.set(slot, primary, others);
            return slot;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds one message: its base64 ciphertext, event id (length 0: no replay bookkeeping) and room id
     * (length 0: no room check) as ranges of {@link #input()}. Returns its position. Allocates nothing
     * once the batch's segments have grown to size.
     *
     * @param sessionSlot the session's slot (from {@link #session})
     * @param ciphertextOffset where the base64 ciphertext starts in the input
     * @param ciphertextLength its length
     * @param eventIdOffset where the event id starts in the input
     * @param eventIdLength its length; 0 for none
     * @param roomIdOffset where the room id starts in the input
     * @param roomIdLength its length; 0 for none
     * @return the message's position in the batch
     */
    public int add(int sessionSlot, long ciphertextOffset, int ciphertextLength, long eventIdOffset, int eventIdLength,
                   long roomIdOffset, int roomIdLength) {
        lock.lock();
        try {
            return addLocked(sessionSlot, ciphertextOffset, ciphertextLength, eventIdOffset, eventIdLength,
                    roomIdOffset, roomIdLength);
        } finally {
            lock.unlock();
        }
    }

    private int addLocked(int sessionSlot, long ciphertextOffset, int ciphertextLength, long eventIdOffset,
                          int eventIdLength, long roomIdOffset, int roomIdLength) {
        checkOpen();
        if (sessionSlot != NO_SESSION && (sessionSlot < 0 || sessionSlot >= sessionCount)) {
            throw new IllegalArgumentException("no session slot " + sessionSlot);
        }
        if (ciphertextLength < 0 || eventIdLength < 0 || roomIdLength < 0) {
            throw new IllegalArgumentException("negative length");
        }
        int at = count;
        MemorySegment m = messages.ensure(MESSAGE.byteSize() * (at + 1L), MESSAGE.byteSize() * at);
        long base = MESSAGE.byteSize() * at;
        m.set(JAVA_LONG, base + M_CIPHERTEXT_OFFSET, ciphertextOffset);
        m.set(JAVA_LONG, base + M_EVENT_ID_OFFSET, eventIdOffset);
        m.set(JAVA_LONG, base + M_ROOM_ID_OFFSET, roomIdOffset);
        m.set(JAVA_INT, base + M_CIPHERTEXT_LENGTH, ciphertextLength);
        m.set(JAVA_INT, base + M_EVENT_ID_LENGTH, eventIdLength);
        m.set(JAVA_INT, base + M_ROOM_ID_LENGTH, roomIdLength);
        m.set(JAVA_INT, base + M_SESSION, sessionSlot);
        if (at < javaStatus.length) {
            javaStatus[at] = 0;
            javaReason[at] = null;
        }
        copies.resetMessage(at);
        outputBound += plaintextBound(Integer.toUnsignedLong(ciphertextLength));
        count++;
        changed();
        return at;
    }

    /**
     * Adds a Matrix {@code m.room.encrypted} event (JSON text) encrypted with {@code m.megolm.v1.aes-sha2}.
     * A malformed event takes its place in the results with {@link Status#BAD_EVENT} and a reason; an
     * unknown session with {@link Status#UNKNOWN_SESSION}. The room is the event's {@code room_id}
     * (events from {@code /sync} timelines carry none: see {@link #addEvent(String, String, SessionLookup)}).
     * An event without a room, or with an empty {@code event_id}, is {@link Status#BAD_EVENT}: its room
     * binding and replay checks could not run.
     *
     * @param eventJson the event
     * @param sessions finds the session of a session id
     * @return the message's position in the batch
     */
    public int addEvent(String eventJson, SessionLookup sessions) {
        return addEvent(eventJson, null, sessions);
    }

    /**
     * As {@link #addEvent(String, SessionLookup)}; {@code roomId} applies when the event has no {@code room_id}.
     *
     * @param eventJson the event
     * @param roomId the room of the events, or null
     * @param sessions finds the session of a session id
     * @return the message's position in the batch
     */
    public int addEvent(String eventJson, @Nullable String roomId, SessionLookup sessions) {
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (Exception e) {
            return addFailure(Status.BAD_EVENT, "event is not valid JSON");
        }
        return addTree(event, roomId, sessions);
    }

    static {
        TreeBatches.register(PreparedBatch::addTree);
    }

    /** As {@link #addEvent(String, String, SessionLookup)}, for an already parsed event; reached through {@link TreeBatches}. */
    private int addTree(JsonNode event, @Nullable String roomId, SessionLookup sessions) {
        // One event is added whole: its input bytes and its descriptor, with no other change between them.
        lock.lock();
        try {
            return addEventLocked(event, roomId, sessions);
        } finally {
            lock.unlock();
        }
    }

    private int addEventLocked(JsonNode event, String roomId, SessionLookup sessions) {
        checkOpen();
        if (event == null || !event.isObject()) {
            return addFailure(Status.BAD_EVENT, "event is not a JSON object");
        }
        String eventId = text(event, "event_id");
        String where = eventId == null ? "event" : "event " + eventId;
        if (eventId == null || eventId.isEmpty()) {
            // Replay detection is keyed by event id: without one it could not tell a replay from the original.
            return addFailure(Status.BAD_EVENT, where + ": event_id is missing, empty or not a string");
        }
        String type = text(event, "type");
        if (!ENCRYPTED_EVENT_TYPE.equals(type)) {
            return addFailure(Status.BAD_EVENT, where + ": type is " + (type == null ? "missing" : type)
                    + ", not " + ENCRYPTED_EVENT_TYPE);
        }
        JsonNode content = event.get("content");
        if (content == null || !content.isObject()) {
            return addFailure(Status.BAD_EVENT, where + ": content is missing or not an object");
        }
        String algorithm = text(content, "algorithm");
        if (!MEGOLM_ALGORITHM.equals(algorithm)) {
            return addFailure(Status.BAD_EVENT, where + ": content.algorithm is "
                    + (algorithm == null ? "missing" : algorithm) + ", not " + MEGOLM_ALGORITHM);
        }
        String ciphertext = text(content, "ciphertext");
        if (ciphertext == null) {
            return addFailure(Status.BAD_EVENT, where + ": content.ciphertext is missing or not a string");
        }
        String sessionId = text(content, "session_id");
        if (sessionId == null) {
            return addFailure(Status.BAD_EVENT, where + ": content.session_id is missing or not a string");
        }
        JsonNode roomNode = event.get("room_id");
        if (roomNode != null && !roomNode.isTextual()) {
            return addFailure(Status.BAD_EVENT, where + ": room_id is not a string");
        }
        String room = roomNode != null ? roomNode.asText() : roomId;
        if (room == null || room.isEmpty()) {
            // Without a room the native batch would skip the room binding check; refuse instead.
            return addFailure(Status.BAD_EVENT, where + ": room_id is " + (roomNode == null ? "missing" : "empty")
                    + " (a /sync timeline event needs its room given to addEvent)");
        }
        List<MegolmInboundSession> held = sessions.copies(room, sessionId);
        MegolmInboundSession session = null;
        int first = 0;
        for (; first < held.size() && session == null; first++) {
            MegolmInboundSession c = held.get(first);
            if (c != null && !c.isClosed()) session = c;
        }
        boolean known = session != null;
        int slot = !known ? NO_SESSION
                : first < held.size() ? session(session, held.subList(first, held.size())) : session(session);
        byte[] ct = ciphertext.getBytes(StandardCharsets.UTF_8);
        byte[] ev = eventId.getBytes(StandardCharsets.UTF_8);
        byte[] rm = room.getBytes(StandardCharsets.UTF_8);
        long ctAt = appendInput(ct);
        long evAt = appendInput(ev);
        long rmAt = appendInput(rm);
        int at = add(slot, ctAt, ct.length, evAt, ev.length, rmAt, rm.length);
        if (!known) {
            note(at, 0, where + ": no key for session " + sessionId);
        }
        return at;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private int addFailure(Status status, String reason) {
        lock.lock();
        try {
            int at = addLocked(NO_SESSION, 0, 0, 0, 0, 0, 0);
            note(at, status.code(), reason);
            return at;
        } finally {
            lock.unlock();
        }
    }

    /** Records a reason for message {@code at}, and a status decided here (0: the native one stands). */
    private void note(int at, int status, String reason) {
        if (javaStatus.length <= at) {
            int n = Math.max(16, Math.max(at + 1, javaStatus.length * 2));
            javaStatus = Arrays.copyOf(javaStatus, n);
            javaReason = Arrays.copyOf(javaReason, n);
        }
        javaStatus[at] = status;
        javaReason[at] = reason;
    }

    /**
     * Number of messages added.
     *
     * @return the number of messages
     */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Output capacity a decryption of this batch needs (the sum of per-message bounds).
     *
     * @return the output length in bytes
     */
    public long outputLength() {
        lock.lock();
        try {
            return outputBound;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets messages and sessions and keeps the memory for reuse. The batch's own output is wiped; a
     * caller-owned output segment is left to its owner. Results of earlier decryptions go stale.
     */
    public void clear() {
        lock.lock();
        try {
            checkOpen();
            if (ownOutputUsed) {
                MemorySegment own = output.segment();
                own.asSlice(0, Math.min(outputBound, own.byteSize())).fill((byte) 0);
                ownOutputUsed = false;
            }
            Arrays.fill(sessions, 0, sessionCount, null);
            copies.clear();
            Arrays.fill(javaReason, 0, Math.min(count, javaReason.length), null);
            Arrays.fill(javaStatus, 0, Math.min(count, javaStatus.length), 0);
            sessionCount = 0;
            slots.clear();
            count = 0;
            inputUsed = 0;
            outputBound = 0;
            lastOutput = null;
            changed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the native batch; the results are views over {@code out} (the batch's own output when null), valid
     * until the batch next changes.
     */
    BatchResults run(int threads, MemorySegment out) {
        lock.lock();
        try {
            checkOpen();
            if (out == null) {
                out = output.ensure(outputBound, 0);
            } else if (!out.isNative() || out.byteSize() < outputBound) {
                throw new IllegalArgumentException("output must be a native segment of at least " + outputBound
                        + " bytes");
            }
            MemorySegment res = results.ensure(RESULT.byteSize() * Math.max(count, 1), 0);
            changed();
            ownOutputUsed |= out == output.segment();
            MemorySegment target = out;
            withSessions(table -> panolm_megolm_h.panolm_megolm_batch_decrypt(table, sessionCount, inputSegment(),
                    inputLength(), messages.segment(), count, target, target.byteSize(), res, threads));
            if (copies.max() > 0) {
                CopyRetry.retry(this, copies, threads, out);
            }
            lastOutput = out;
            decrypted = true;
            return new BatchResults(this, generation);
        } finally {
            lock.unlock();
        }
    }

    /**
     * One stage of a replay scan over this batch ({@link ReplayScan}); the batch's own output serves as
     * working memory. Returns the indices the stage newly made contested (note) or conflicted (confirm).
     */
    long scan(int stage, int threads) {
        lock.lock();
        try {
            checkOpen();
            MemorySegment scratch = output.ensure(outputBound, 0);
            changed();
            ownOutputUsed = true;
            MemorySegment changedIndices = scanCount.segment();
            withSessions(table -> panolm_megolm_h.panolm_megolm_batch_replay_scan(table, sessionCount, inputSegment(),
                    inputLength(), messages.segment(), count, scratch, scratch.byteSize(), stage, threads,
                    changedIndices));
            return changedIndices.get(JAVA_LONG, 0);
        } finally {
            lock.unlock();
        }
    }

    private interface NativeCall {
        int call(MemorySegment sessionTable);
    }

    /** Runs a native call over the session table, each session leased for the call's duration. */
    private void withSessions(NativeCall call) {
        MemorySegment table = sessionTable.ensure(ADDRESS.byteSize() * Math.max(sessionCount, 1), 0);
        int acquired = 0;
        try {
            for (; acquired < sessionCount; acquired++) {
                table.setAtIndex(ADDRESS, acquired, sessions[acquired].acquire());
            }
            int rc = call.call(table);
            if (rc != 0) {
                throw new PanolmException(Status.fromCode(rc), "batch of " + count + " messages");
            }
        } finally {
            for (int i = 0; i < acquired; i++) {
                sessions[i].release();
            }
        }
    }

    private long inputLength() {
        return callerInput != null ? callerInput.byteSize() : inputUsed;
    }

    /** Every change makes the results of earlier decryptions stale. Called with the lock held. */
    private void changed() {
        generation++;
        decrypted = false;
    }

    // --- for BatchResults, which holds the lock around each use ---

    ReentrantLock lock() {
        return lock;
    }

    /**
     * Throws unless results made in {@code generation} are still what the batch holds: not decrypted again,
     * changed, cleared or closed since.
     */
    void checkCurrent(long generation) {
        if (closed) {
            throw new IllegalStateException("the batch of these results is closed");
        }
        if (generation != this.generation || !decrypted) {
            throw new IllegalStateException("stale results: the batch was changed, cleared or decrypted again "
                    + "since these results were made");
        }
    }

    int count() {
        return count;
    }

    MemorySegment resultSegment() {
        return results.segment();
    }

    MemorySegment messageSegment() {
        return messages.segment();
    }

    MemorySegment inputSegment() {
        return callerInput != null ? callerInput : ownInput.segment();
    }

    MemorySegment lastOutput() {
        return lastOutput;
    }

    int javaStatus(int i) {
        return i < javaStatus.length ? javaStatus[i] : 0;
    }

    String javaReason(int i) {
        return i < javaReason.length ? javaReason[i] : null;
    }

    /** The session copy that decided message i (the slot's, or the other copy that decrypted it), or null. */
    @Nullable MegolmInboundSession copyOf(int i) {
        int slot = messageSegment().get(JAVA_INT, MESSAGE.byteSize() * i + M_SESSION);
        if (slot < 0 || slot >= sessionCount) return null;
        int outcome = copies.outcome(i);
        return outcome > 0 ? copies.of(slot)[outcome - 1] : sessions[slot];
    }

    /** Which copy decided message i (see {@link CopySlots}). */
    int copyOutcome(int i) {
        return copies.outcome(i);
    }

    /** The session id of message i's slot, or null when it had none. */
    @Nullable String sessionIdOf(int i) {
        int slot = messageSegment().get(JAVA_INT, MESSAGE.byteSize() * i + M_SESSION);
        return slot >= 0 && slot < sessionCount ? sessions[slot].sessionId() : null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("batch is closed");
        }
    }

    /** Wipes the plaintexts and frees all memory. Idempotent; waits for a decryption running on another thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            changed();
            Arrays.fill(sessions, null);
            copies.clear();
            slots.clear();
            output.close();
            results.close();
            messages.close();
            sessionTable.close();
            scanCount.close();
            if (ownInput != null) {
                ownInput.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
