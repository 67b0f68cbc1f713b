package org.panolm.backup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.bindings.panolm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.internal.NativeStatus;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.recovery.RecoveryKey;

/**
 * The private half of a backup key: a 32-byte X25519 scalar, held in native memory only and wiped on
 * {@link #close()}. It decrypts backed-up sessions one at a time or a whole {@code /room_keys/keys}
 * response in one native call spread over the cores.
 *
 * <p>Legacy scheme: what it decrypts is unauthenticated (the MAC covers the empty string), see the package
 * documentation. Closing is idempotent and thread-safe, waits for running decryptions, and any use after
 * close throws {@link IllegalStateException}. A {@link Cleaner} wipes a key that was never closed.
 */
public final class BackupDecryptionKey implements AutoCloseable {
    /** The length of the private key, in bytes. */
    public static final int LENGTH = 32;
    private static final Cleaner CLEANER = Cleaner.create();

    private final MemorySegment secret;
    private final BackupPublicKey publicKey;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Cleaner.Cleanable cleanable;
    private boolean closed;

    private BackupDecryptionKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "backup decryption key must be " + LENGTH + " bytes");
        }
        // Locals, so that the cleaning action does not capture this object and keep it reachable.
        Arena a = Arena.ofShared();
        MemorySegment s = a.allocate(LENGTH);
        MemorySegment.copy(privateKey, 0, s, JAVA_BYTE, 0, LENGTH);
        byte[] pub = new byte[BackupPublicKey.LENGTH];
        int rc = panolm_h.panolm_x25519_public(s, MemorySegment.ofArray(pub));
        if (rc != 0) {
            wipe(a, s);
            NativeStatus.check(rc, "backup public key from the private key");
        }
        secret = s;
        publicKey = BackupPublicKey.fromBytes(pub);
        cleanable = CLEANER.register(this, () -> wipe(a, s));
    }

    /**
     * A new random key.
     *
     * @return the key; the caller closes it
     */
    public static BackupDecryptionKey generate() {
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment random = tmp.allocate(LENGTH);
            NativeStatus.check(panolm_h.panolm_random(random, LENGTH), "random backup key");
            byte[] bytes = random.toArray(JAVA_BYTE);
            random.fill((byte) 0);
            try {
                return new BackupDecryptionKey(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /**
     * Copies the key; the caller still owns (and should wipe) {@code privateKey}.
     *
     * @param privateKey the 32-byte X25519 private key
     * @return the key; the caller closes it
     */
    public static BackupDecryptionKey fromBytes(byte[] privateKey) {
        return new BackupDecryptionKey(privateKey);
    }

    /**
     * The form secret storage keeps it in ({@code m.megolm_backup.v1}: base64, padded or not).
     *
     * @param base64 the private key in base64
     * @return the key; the caller closes it
     */
    public static BackupDecryptionKey fromBase64(String base64) {
        byte[] bytes = MatrixBase64.decode(base64, LENGTH, "backup decryption key");
        try {
            return new BackupDecryptionKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * From a (legacy) recovery key in base58; throws {@link org.panolm.recovery.RecoveryKeyException}.
     *
     * @param recoveryKey the recovery key text
     * @return the key; the caller closes it
     */
    public static BackupDecryptionKey fromRecoveryKey(String recoveryKey) {
        byte[] bytes = RecoveryKey.decode(recoveryKey);
        try {
            return new BackupDecryptionKey(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * The public half, which encrypts for this backup.
     *
     * @return the public key
     */
    public BackupPublicKey publicKey() {
        return publicKey;
    }

    /**
     * The raw private key. The caller owns the copy and should wipe it.
     *
     * @return the 32-byte private key
     */
    public byte[] toBytes() {
        return read(() -> secret.toArray(JAVA_BYTE));
    }

    /**
     * Unpadded base64, as secret storage's {@code m.megolm_backup.v1} holds it.
     *
     * @return the private key in base64
     */
    public String toBase64() {
        byte[] bytes = toBytes();
        try {
            return MatrixBase64.encode(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * The recovery-key (base58) form.
     *
     * @return the recovery key text
     */
    public String toRecoveryKey() {
        byte[] bytes = toBytes();
        try {
            return RecoveryKey.encode(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * True when {@code authData.public_key} is this key's public half.
     *
     * @param authData a backup version's auth data
     * @return whether this key decrypts that backup
     */
    public boolean matches(BackupAuthData authData) {
        return authData != null && authData.publicKey() != null
                && publicKey.equals(BackupPublicKey.fromBase64(authData.publicKey()));
    }

    /**
     * Decrypts one backed-up session; its room and session ids are not part of the plaintext.
     *
     * @param data the encrypted session
     * @return the session, without room and session ids
     */
    public ExportedRoomKey decrypt(SessionData data) {
        if (data == null) throw new PanolmException(Status.BAD_EVENT, "session_data is missing");
        byte[] eph = MatrixBase64.decode(data.ephemeral(), 32, "session_data.ephemeral");
        byte[] mac = MatrixBase64.decode(data.mac(), 8, "session_data.mac");
        byte[] ct = MatrixBase64.decode(data.ciphertext(), "session_data.ciphertext");
        byte[] plain = new byte[Math.max(1, ct.length)];
        long[] length = new long[1];
        try {
            int rc = read(() -> panolm_backup_h.panolm_backup_decrypt(secret, MemorySegment.ofArray(eph),
                    MemorySegment.ofArray(mac), MemorySegment.ofArray(ct), ct.length, MemorySegment.ofArray(plain),
                    plain.length, MemorySegment.ofArray(length)));
            if (rc == Status.BAD_MAC.code()) {
                throw new PanolmException(Status.BAD_MAC, "session_data.mac does not verify: this backup "
                        + "decryption key is not the one the session was backed up for");
            }
            NativeStatus.check(rc, "session_data");
            return BackedUpSessionJson.read(plain, 0, (int) length[0]);
        } catch (IOException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "decrypted session_data is not the expected JSON");
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * Restores every session of a {@code GET /room_keys/keys} response, on all cores. The keys' provenance is
     * a backup of unknown version whose {@code auth_data} was not checked.
     *
     * @param body the response body
     * @return the sessions restored and the entries that failed
     */
    public RestoreResult decrypt(RoomKeysBody body) {
        return decrypt(body, SessionFilter.all(), 0);
    }

    /**
     * Restores the sessions of {@code body} that {@code filter} accepts, on at most {@code threads} threads
     * (0 = one per core). Entries that fail are reported in the result, never thrown.
     *
     * @param body the response body
     * @param filter which sessions to restore
     * @param threads the most threads to use; 0 for one per core
     * @return the sessions restored and the entries that failed
     */
    public RestoreResult decrypt(RoomKeysBody body, SessionFilter filter, int threads) {
        return decrypt(body, filter, threads, new KeyProvenance.RestoredFromBackup(null, false));
    }

    /**
     * As {@link #decrypt(RoomKeysBody, SessionFilter, int)}, recording {@code provenance} on every key.
     *
     * @param body the response body
     * @param filter which sessions to restore
     * @param threads the most threads to use; 0 for one per core
     * @param provenance the backup the keys come from, recorded on each
     * @return the sessions restored and the entries that failed
     */
    public RestoreResult decrypt(RoomKeysBody body, SessionFilter filter, int threads,
                                 KeyProvenance.RestoredFromBackup provenance) {
        Objects.requireNonNull(provenance, "provenance");
        return read(() -> BackupBatch.decrypt(secret, body, filter, threads, provenance));
    }

    /**
     * Restores from a backup version after checking that it is a {@code m.megolm_backup.v1} backup made for
     * this key: a wrong key fails here with {@code BAD_KEY} instead of as thousands of MAC failures. The
     * keys' provenance names the version, with its {@code auth_data} not trusted (see
     * {@link #restore(BackupVersion, boolean, RoomKeysBody, SessionFilter)}).
     *
     * @param version the backup version the body belongs to
     * @param body the response body
     * @param filter which sessions to restore
     * @return the sessions restored and the entries that failed
     */
    public RestoreResult restore(BackupVersion version, RoomKeysBody body, SessionFilter filter) {
        return restore(version, false, body, filter);
    }

    /**
     * As {@link #restore(BackupVersion, RoomKeysBody, SessionFilter)}, recording whether the version's
     * {@code auth_data} was trusted (see {@code org.panolm.crosssigning.BackupAuthDataTrust}). The keys stay
     * unauthenticated either way: a trusted {@code auth_data} says the backup key is ours, not who wrote
     * the entries.
     *
     * @param version the backup version the body belongs to
     * @param authDataTrusted whether the version's {@code auth_data} carries a signature the caller trusts
     * @param body the response body
     * @param filter which sessions to restore
     * @return the sessions restored and the entries that failed
     */
    public RestoreResult restore(BackupVersion version, boolean authDataTrusted, RoomKeysBody body,
                                 SessionFilter filter) {
        checkVersion(version);
        return decrypt(body, filter, 0, new KeyProvenance.RestoredFromBackup(version.version(), authDataTrusted));
    }

    /**
     * Restores a {@code GET /room_keys/keys} response as it is read from {@code body}, without holding the
     * body in memory: the entries are parsed as a stream, decrypted a batch at a time on up to
     * {@code threads} threads, and each entry's outcome is handed to {@code sink} in the body's order, on
     * this thread. Reading, decrypting and handing on overlap: the batch after next is read from {@code body}
     * on a reading thread of its own and the next one decrypted on threads of their own while one is handed
     * on (the body is used by one thread at a time, and by none once this returns), so memory is bounded by
     * three batches, whatever the size of the body. An entry that does not fit the schema, does not decode or does not decrypt is one
     * {@link RestoreSink#failed} naming its room, session and field, and the restore goes on; these are the
     * entries and outcomes {@link #decrypt(RoomKeysBody, SessionFilter, int, KeyProvenance.RestoredFromBackup)}
     * gives for the same body.
     *
     * <p>A body that is not JSON, or whose top level or {@code rooms} is not an object, fails with
     * {@code BAD_EVENT}; since it is read as a stream, sessions before the damage may already have reached
     * the sink (each of them complete and checked). The stream is read up to the end of the body's
     * object and not closed.
     *
     * @param body the response body, UTF-8 JSON
     * @param filter which sessions to restore; the others are skipped unparsed
     * @param threads the most threads to use; 0 for one per core
     * @param provenance the backup the keys come from, recorded on each
     * @param sink receives each selected entry's outcome
     * @throws IOException when {@code body} cannot be read
     */
    public void restore(InputStream body, SessionFilter filter, int threads,
                        KeyProvenance.RestoredFromBackup provenance, RestoreSink sink) throws IOException {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(provenance, "provenance");
        Objects.requireNonNull(sink, "sink");
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("backup decryption key is closed");
            try (RoomKeysStream stream = new RoomKeysStream(body, filter)) {
                BackupBatch.restore(secret, stream, threads, provenance, sink);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * As {@link #restore(InputStream, SessionFilter, int, KeyProvenance.RestoredFromBackup, RestoreSink)}
     * for the body of backup version {@code version}, after checking that the version was made for this key
     * (else {@code BAD_KEY}, before anything is read), as
     * {@link #restore(BackupVersion, boolean, RoomKeysBody, SessionFilter)} does.
     *
     * @param version the backup version the body belongs to
     * @param authDataTrusted whether the version's {@code auth_data} carries a signature the caller trusts
     * @param body the response body, UTF-8 JSON
     * @param filter which sessions to restore
     * @param sink receives each selected entry's outcome
     * @throws IOException when {@code body} cannot be read
     */
    public void restore(BackupVersion version, boolean authDataTrusted, InputStream body,
                        SessionFilter filter, RestoreSink sink) throws IOException {
        checkVersion(version);
        restore(body, filter, 0, new KeyProvenance.RestoredFromBackup(version.version(), authDataTrusted), sink);
    }

    private void checkVersion(BackupVersion version) {
        BackupPublicKey theirs = version.publicKey();
        if (!publicKey.equals(theirs)) {
            throw new PanolmException(Status.BAD_KEY, "backup decryption key does not match the public_key of "
                    + "backup version " + version.version());
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            cleanable.clean();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "BackupDecryptionKey[public=" + publicKey.toBase64() + "]";
    }

    private <T> T read(java.util.function.Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("backup decryption key is closed");
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private static void wipe(Arena arena, MemorySegment secret) {
        secret.fill((byte) 0);
        arena.close();
    }
}
