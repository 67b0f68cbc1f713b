package org.panolm.backup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.InvalidRoomKeyException;
import org.panolm.internal.NativeStatus;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.SessionRef;
import org.panolm.megolm.ExportedSessionKey;
import org.panolm.megolm.KeyProvenance;

/**
 * Many sessions in blocks of {@value #BLOCK}: each block is laid out back to back in one native allocation
 * and processed in one downcall, and the blocks are spread over threads by {@link BlockRunner}, so the
 * JSON and base64 work runs as parallel as the cryptography. Results keep input order. All per-item work in C is allocation-free;
 * the plaintexts are wiped from Java and native memory as soon as they are no longer needed.
 */
final class BackupBatch {
    private BackupBatch() {}

    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();
    static final int EPHEMERAL = 32;
    static final int MAC = 8;

    /** Sessions per block: enough to amortise one arena and one downcall, few enough to share work evenly. */
    static final int BLOCK = 64;

    static RoomKeysBody encrypt(byte[] publicKey, List<RoomKeyRecord> records, int threads) {
        requireThreads(threads);
        int n = records.size();
        if (n == 0) return new RoomKeysBody(Map.of());
        KeyBackupData[] results = new KeyBackupData[n];
        int blocks = blocks(n);
        // Each block writes its JSON, encrypts it natively on its own thread and encodes the results, so the
        // Java work scales with the threads as the cryptography does.
        BlockRunner.run(blocks, BlockRunner.threads(threads, blocks),
                b -> encryptBlock(publicKey, records, b * BLOCK, Math.min(n, (b + 1) * BLOCK), results));
        var rooms = new LinkedHashMap<String, Map<String, KeyBackupData>>();
        for (int i = 0; i < n; i++) {
            RoomKeyRecord r = records.get(i);
            rooms.computeIfAbsent(r.roomId(), k -> new LinkedHashMap<>()).put(r.sessionId(), results[i]);
        }
        var body = new LinkedHashMap<String, RoomKeyBackup>();
        rooms.forEach((room, sessions) -> body.put(room, new RoomKeyBackup(sessions)));
        return new RoomKeysBody(body);
    }

    private static void encryptBlock(byte[] publicKey, List<RoomKeyRecord> records, int from, int to,
            KeyBackupData[] results) {
        int n = to - from;
        SecretBuffer plain = new SecretBuffer(n * 560);
        long[] offsets = new long[n + 1];
        long[] outOffsets = new long[n + 1];
        try {
            for (int i = 0; i < n; i++) {
                BackedUpSessionJson.write(records.get(from + i).key(), plain);
                offsets[i + 1] = plain.length();
                outOffsets[i + 1] = outOffsets[i] + ciphertextLength(offsets[i + 1] - offsets[i]);
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pub = arena.allocateFrom(JAVA_BYTE, publicKey);
                MemorySegment in = arena.allocate(Math.max(1, plain.length()));
                MemorySegment.copy(plain.array(), 0, in, JAVA_BYTE, 0, plain.length());
                plain.wipe();
                MemorySegment inOffsets = arena.allocateFrom(JAVA_LONG, offsets);
                MemorySegment out = arena.allocate(outOffsets[n]);
                MemorySegment outOffs = arena.allocateFrom(JAVA_LONG, outOffsets);
                MemorySegment outLengths = arena.allocate(JAVA_LONG, n);
                MemorySegment ephemerals = arena.allocate((long) EPHEMERAL * n);
                MemorySegment macs = arena.allocate((long) MAC * n);
                MemorySegment statuses = arena.allocate(JAVA_INT, n);
                int rc;
                try {
                    rc = panolm_backup_h.panolm_backup_encrypt_batch(pub, n, in, in.byteSize(), inOffsets, out,
                            out.byteSize(), outOffs, outLengths, ephemerals, macs, statuses, 1);
                } finally {
                    in.fill((byte) 0);
                }
                NativeStatus.check(rc, "backup batch encryption of " + n + " sessions");
                UnpaddedBase64 b64 = new UnpaddedBase64();
                for (int i = 0; i < n; i++) {
                    RoomKeyRecord r = records.get(from + i);
                    NativeStatus.check(statuses.getAtIndex(JAVA_INT, i),
                            "backup encryption of room " + r.roomId() + " session " + r.sessionId());
                    int ctLength = Math.toIntExact(outLengths.getAtIndex(JAVA_LONG, i));
                    SessionData data = new SessionData(
                            b64.encode(ephemerals, (long) EPHEMERAL * i, EPHEMERAL),
                            b64.encode(out, outOffsets[i], ctLength),
                            b64.encode(macs, (long) MAC * i, MAC));
                    // is_verified: "whether the device backing up the key verified the device that the key is
                    // from"; only a key received from a verified device (or our own) says so.
                    results[from + i] = new KeyBackupData(r.firstKnownIndex(), r.forwardedCount(),
                            r.provenance().senderVerified(), data);
                }
            }
        } finally {
            plain.wipe();
        }
    }

    /**
     * One backed-up session queued for decryption, or an entry already known not to fit the schema.
     *
     * @param ref the session (null for a malformed room entry)
     * @param data its entry (null when the entry is JSON null, or malformed)
     * @param malformed why the entry does not fit the schema, or null
     */
    record Entry(SessionRef ref, KeyBackupData data, InvalidRoomKeyException malformed) {}

    /** One backed-up session whose public parts decoded. */
    private record Item(SessionRef ref, KeyBackupData data, byte[] ephemeral, byte[] mac, byte[] ciphertext) {}

    /** Where each entry of a restore ended up; every slot is written by the one block that owns it. */
    private record Outcomes(RoomKeyRecord[] keys, PanolmException[] undecodable, PanolmException[] failed) {
        Outcomes(int n) {
            this(new RoomKeyRecord[n], new PanolmException[n], new PanolmException[n]);
        }
    }

    static RestoreResult decrypt(MemorySegment privateKey, RoomKeysBody body, SessionFilter filter, int threads,
                                 KeyProvenance.RestoredFromBackup provenance) {
        requireThreads(threads);
        List<Entry> entries = new ArrayList<>();
        for (var room : body.rooms().entrySet()) {
            if (room.getValue() == null) continue; // "room": null holds no sessions
            for (var session : room.getValue().sessions().entrySet()) {
                SessionRef ref = new SessionRef(room.getKey(), session.getKey());
                if (filter.accepts(ref)) entries.add(new Entry(ref, session.getValue(), null));
            }
        }
        int n = entries.size();
        Outcomes outcomes = decrypt(privateKey, entries, threads, provenance);
        // Entries the body's JSON did not fit first, then those that did not decode, then those that did not
        // decrypt or parse, each in input order.
        List<RoomKeyRecord> keys = new ArrayList<>(n);
        List<RestoreFailure> failures = new ArrayList<>();
        for (InvalidRoomKeyException e : body.malformed()) {
            if (filter.accepts(e.roomId(), e.sessionId() == null ? "" : e.sessionId())) failures.add(RestoreFailure.of(e));
        }
        for (int i = 0; i < n; i++) {
            if (outcomes.undecodable[i] != null) failures.add(RestoreFailure.of(entries.get(i).ref, outcomes.undecodable[i]));
        }
        for (int i = 0; i < n; i++) {
            if (outcomes.failed[i] != null) failures.add(RestoreFailure.of(entries.get(i).ref, outcomes.failed[i]));
            if (outcomes.keys[i] != null) keys.add(outcomes.keys[i]);
        }
        return new RestoreResult(keys, failures);
    }

    /** Decrypts {@code entries} in blocks on up to {@code threads} threads; a malformed entry is left alone. */
    private static Outcomes decrypt(MemorySegment privateKey, List<Entry> entries, int threads,
                                    KeyProvenance.RestoredFromBackup provenance) {
        int n = entries.size();
        Outcomes outcomes = new Outcomes(n);
        if (n > 0) {
            int blocks = blocks(n);
            BlockRunner.run(blocks, BlockRunner.threads(threads, blocks),
                    b -> decryptBlock(privateKey, entries, b * BLOCK, Math.min(n, (b + 1) * BLOCK), outcomes,
                            provenance));
        }
        return outcomes;
    }

    /** Entries read from a stream per decryption round: memory is bounded by this, not by the body. */
    static final int STREAM_BATCH = 32 * BLOCK;

    /**
     * Restores a body read as a stream, {@link #STREAM_BATCH} entries at a time, handing every entry's
     * outcome to {@code sink} in body order, on the calling thread. Three stages overlap: a reading thread
     * parses a batch while another batch is decrypted (on its own thread and helpers) and the outcomes of the
     * one before are handed to the sink, so neither the body's JSON nor the sink's work (writing the keys
     * out) holds up decryption: at most three batches are held. A body that cannot be read on fails after
     * every entry before the failing batch was handed on.
     */
    static void restore(MemorySegment privateKey, RoomKeysStream body, int threads,
                        KeyProvenance.RestoredFromBackup provenance, RestoreSink sink) throws IOException {
        requireThreads(threads);
        FutureTask<List<Entry>> next = null;
        FutureTask<Outcomes> decrypting = null;
        try {
            List<Entry> entries = readBatch(body);
            if (!entries.isEmpty()) {
                List<Entry> first = entries;
                decrypting = inBackground("panolm-backup-decrypt", () -> decrypt(privateKey, first, threads, provenance));
                next = inBackground("panolm-backup-read", () -> readBatch(body));
            }
            while (decrypting != null) {
                Outcomes outcomes = await(decrypting);
                decrypting = null;
                // A body that cannot be read on fails once the batch before has been handed on.
                List<Entry> following = List.of();
                Throwable unreadable = null;
                try {
                    following = await(next);
                } catch (IOException | RuntimeException | Error e) {
                    unreadable = e;
                } finally {
                    next = null;
                }
                if (!following.isEmpty()) {
                    // The next batch is decrypted, and the one after read, while this one goes to the sink.
                    List<Entry> batch = following;
                    decrypting = inBackground("panolm-backup-decrypt",
                            () -> decrypt(privateKey, batch, threads, provenance));
                    next = inBackground("panolm-backup-read", () -> readBatch(body));
                }
                handOn(entries, outcomes, sink);
                if (unreadable instanceof IOException io) throw io;
                if (unreadable instanceof RuntimeException r) throw r;
                if (unreadable instanceof Error err) throw err;
                entries = following;
            }
        } finally {
            // The key and the body are the caller's, freed and closed once this returns: the threads using them
            // must be done first (one batch each at most).
            if (decrypting != null) awaitQuietly(decrypting);
            if (next != null) awaitQuietly(next);
        }
    }

    /** The next {@link #STREAM_BATCH} entries of the body, or fewer at its end (none: the end). */
    private static List<Entry> readBatch(RoomKeysStream body) throws IOException {
        List<Entry> entries = new ArrayList<>(STREAM_BATCH);
        Entry e;
        while (entries.size() < STREAM_BATCH && (e = body.next()) != null) {
            entries.add(e);
        }
        return entries;
    }

    /** Each entry's outcome to the sink, in order. */
    private static void handOn(List<Entry> entries, Outcomes outcomes, RestoreSink sink) {
        for (int i = 0; i < entries.size(); i++) {
            handOn(entries.get(i), outcomes, i, sink);
        }
    }

    /*
     * Per-key work is a call of its own, here and in decryptBlock: a method run once per batch or block stays
     * interpreted until enough calls or loop turns get it compiled, which with C1 alone (the command's JIT on
     * two cores) is a good part of a run; a method called once per key is compiled after a few hundred keys.
     */
    private static void handOn(Entry entry, Outcomes outcomes, int i, RestoreSink sink) {
        if (entry.malformed != null) {
            sink.failed(RestoreFailure.of(entry.malformed));
        } else if (outcomes.undecodable[i] != null) {
            sink.failed(RestoreFailure.of(entry.ref, outcomes.undecodable[i]));
        } else if (outcomes.failed[i] != null) {
            sink.failed(RestoreFailure.of(entry.ref, outcomes.failed[i]));
        } else {
            sink.restored(outcomes.keys[i]);
        }
    }

    /** Runs {@code work} on a thread of its own. */
    private static <T> FutureTask<T> inBackground(String name, java.util.concurrent.Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().daemon().name(name).start(task);
        return task;
    }

    /** The task's result, or its exception as it was thrown. */
    private static <T> T await(FutureTask<T> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the task uses the caller's body or key: it is always waited for
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Waits for a task that is no longer wanted to finish. */
    private static void awaitQuietly(FutureTask<?> task) {
        try {
            await(task);
        } catch (IOException | RuntimeException | Error e) {
            // the restore already failed or returned; what became of the unwanted task does not matter
        }
    }

    private static void decryptBlock(MemorySegment privateKey, List<Entry> entries, int from, int to,
            Outcomes outcomes, KeyProvenance.RestoredFromBackup provenance) {
        Item[] items = new Item[to - from];
        int[] index = new int[to - from];
        int n = 0;
        long total = 0;
        for (int i = from; i < to; i++) {
            Item item = decode(entries.get(i), i, outcomes);
            if (item != null) {
                items[n] = item;
                index[n++] = i;
                total += item.ciphertext.length;
            }
        }
        if (n == 0) return;

        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, total));
            MemorySegment offsets = arena.allocate(JAVA_LONG, n + 1L);
            MemorySegment ephemerals = arena.allocate((long) EPHEMERAL * n);
            MemorySegment macs = arena.allocate((long) MAC * n);
            long at = 0;
            for (int i = 0; i < n; i++) {
                at = layOut(items[i], i, at, in, offsets, ephemerals, macs);
            }
            offsets.setAtIndex(JAVA_LONG, n, at);
            MemorySegment out = arena.allocate(Math.max(1, total));
            MemorySegment outLengths = arena.allocate(JAVA_LONG, n);
            MemorySegment statuses = arena.allocate(JAVA_INT, n);
            byte[] scratch = new byte[1024];
            try {
                int rc = panolm_backup_h.panolm_backup_decrypt_batch(privateKey, n, in, in.byteSize(), offsets,
                        ephemerals, macs, out, out.byteSize(), outLengths, statuses, 1);
                NativeStatus.check(rc, "backup batch decryption of " + n + " sessions");
                for (int i = 0; i < n; i++) {
                    scratch = finish(items[i], index[i], i, statuses, outLengths, offsets, out, scratch, outcomes,
                            provenance);
                }
            } finally {
                out.fill((byte) 0);
                Arrays.fill(scratch, (byte) 0);
            }
        }
    }

    /** Entry {@code i}'s binary parts, or null when it is malformed or undecodable (then recorded as such). */
    private static Item decode(Entry entry, int i, Outcomes outcomes) {
        if (entry.malformed != null) return null;
        try {
            return decode(entry.ref, entry.data);
        } catch (PanolmException e) {
            outcomes.undecodable[i] = e;
            return null;
        }
    }

    /** Item {@code i} into the block's native input at {@code at}; returns where the next one starts. */
    private static long layOut(Item item, int i, long at, MemorySegment in, MemorySegment offsets,
                               MemorySegment ephemerals, MemorySegment macs) {
        offsets.setAtIndex(JAVA_LONG, i, at);
        MemorySegment.copy(item.ciphertext, 0, in, JAVA_BYTE, at, item.ciphertext.length);
        MemorySegment.copy(item.ephemeral, 0, ephemerals, JAVA_BYTE, (long) EPHEMERAL * i, EPHEMERAL);
        MemorySegment.copy(item.mac, 0, macs, JAVA_BYTE, (long) MAC * i, MAC);
        return at + item.ciphertext.length;
    }

    /**
     * Item {@code i}'s result into {@code outcomes} at {@code slot}: its key, read from its plaintext through
     * {@code scratch} (wiped after), or why not. Returns the scratch array, grown if the plaintext needed it.
     */
    private static byte[] finish(Item item, int slot, int i, MemorySegment statuses, MemorySegment outLengths,
                                 MemorySegment offsets, MemorySegment out, byte[] scratch, Outcomes outcomes,
                                 KeyProvenance.RestoredFromBackup provenance) {
        int status = statuses.getAtIndex(JAVA_INT, i);
        if (status != 0) {
            outcomes.failed[slot] = itemError(item.ref, status);
            return scratch;
        }
        int length = Math.toIntExact(outLengths.getAtIndex(JAVA_LONG, i));
        if (scratch.length < length) {
            Arrays.fill(scratch, (byte) 0);
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        MemorySegment.copy(out, JAVA_BYTE, offsets.getAtIndex(JAVA_LONG, i), scratch, 0, length);
        try {
            outcomes.keys[slot] = toRecord(item, BackedUpSessionJson.read(scratch, 0, length), provenance);
        } catch (PanolmException e) {
            outcomes.failed[slot] = e;
        } catch (IOException e) {
            outcomes.failed[slot] = invalid(Status.BAD_MESSAGE_FORMAT, item.ref, "session_data",
                    "decrypted to something other than the expected JSON");
        } finally {
            Arrays.fill(scratch, 0, length, (byte) 0);
        }
        return scratch;
    }

    private static Item decode(SessionRef ref, KeyBackupData data) {
        if (data == null) {
            throw new InvalidRoomKeyException(Status.BAD_EVENT, ref.roomId(), ref.sessionId(), null,
                    "the entry is null");
        }
        if (data.sessionData() == null) {
            throw invalid(Status.BAD_EVENT, ref, "session_data", "is missing");
        }
        checkRoomId(ref);
        SessionData sd = data.sessionData();
        return new Item(ref, data,
                fixed(sd.ephemeral(), EPHEMERAL, ref, "session_data.ephemeral"),
                fixed(sd.mac(), MAC, ref, "session_data.mac"),
                base64(sd.ciphertext(), ref, "session_data.ciphertext"));
    }

    private static byte[] fixed(String text, int length, SessionRef ref, String field) {
        byte[] bytes = base64(text, ref, field);
        if (bytes.length != length) {
            throw invalid(Status.BAD_KEY, ref, field, "must be " + length + " bytes, not " + bytes.length);
        }
        return bytes;
    }

    private static byte[] base64(String text, SessionRef ref, String field) {
        if (text == null) {
            throw invalid(Status.BAD_EVENT, ref, field, "is missing");
        }
        try {
            return B64_DECODE.decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid(Status.BAD_BASE64, ref, field, "is not valid base64");
        }
    }

    /** docs/formats.md §2.4: the decrypted key must be a Megolm export-format key for the session it is filed under. */
    private static RoomKeyRecord toRecord(Item item, ExportedRoomKey plain, KeyProvenance provenance) {
        if (!ExportedRoomKey.MEGOLM_V1.equals(plain.algorithm())) {
            throw invalid(Status.BAD_MESSAGE_FORMAT, item.ref, "algorithm", "is "
                    + (plain.algorithm() == null ? "missing" : "not " + ExportedRoomKey.MEGOLM_V1));
        }
        ExportedSessionKey sessionKey;
        try {
            sessionKey = plain.exportedSessionKey();
        } catch (PanolmException e) {
            throw invalid(e.status(), item.ref, "session_key", "is not an exported Megolm key");
        }
        if (!sessionKey.sessionId().equals(item.ref.sessionId())) {
            throw invalid(Status.BAD_KEY, item.ref, "session_key", "belongs to session " + sessionKey.sessionId());
        }
        ExportedRoomKey filed = plain.withRoomAndSession(item.ref.roomId(), item.ref.sessionId());
        // The entry is unauthenticated (legacy MAC): its provenance says "backup", never authenticated.
        return new RoomKeyRecord(filed, sessionKey.firstIndex(), provenance, Math.max(0, item.data.forwardedCount()));
    }

    private static PanolmException itemError(SessionRef ref, int code) {
        Status status = Status.fromCode(code);
        return switch (status) {
            case BAD_MAC -> invalid(status, ref, "session_data.mac", "does not verify: this backup decryption key "
                    + "is not the one the session was backed up for");
            case BAD_PADDING -> invalid(status, ref, "session_data.ciphertext",
                    "has malformed padding (corrupted or tampered)");
            case NON_CONTRIBUTORY -> invalid(status, ref, "session_data.ephemeral", "is a low-order Curve25519 key");
            default -> invalid(status, ref, "session_data", "could not be decrypted");
        };
    }

    /**
     * A room id a session cannot be bound to (the spec limits identifiers to 255 bytes) fails this entry,
     * not the restore, and not later when the key is used.
     */
    private static void checkRoomId(SessionRef ref) {
        String problem = RoomKeysBody.roomIdProblem(ref.roomId());
        if (problem != null) throw invalid(Status.BAD_EVENT, ref, "room_id", problem);
    }

    private static InvalidRoomKeyException invalid(Status status, SessionRef ref, String field, String problem) {
        return new InvalidRoomKeyException(status, ref.roomId(), ref.sessionId(), field, problem);
    }

    private static long ciphertextLength(long plaintextLength) {
        return plaintextLength - plaintextLength % 16 + 16;
    }

    private static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    private static void requireThreads(int threads) {
        if (threads < 0) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "thread count must be 0 (all cores) or positive");
        }
    }
}
