package org.panolm.backup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.internal.NativeStatus;
import org.panolm.keystore.RoomKeyRecord;

/**
 * The public half of a backup key (X25519, 32 bytes): the {@code public_key} of {@code auth_data}. Encrypts
 * sessions for the backup, one at a time or a whole upload in one native call spread over the cores.
 * Immutable; holds no secret. Legacy scheme: the entries it makes are confidential but not authenticated
 * (see the package documentation).
 */
public final class BackupPublicKey {
    /** The length of the key, in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;

    private BackupPublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A public key from its bytes.
     *
     * @param bytes the 32-byte X25519 public key; copied
     * @return the key
     */
    public static BackupPublicKey fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "backup public key must be " + LENGTH + " bytes");
        }
        return new BackupPublicKey(bytes.clone());
    }

    /**
     * A public key from the base64 of {@code auth_data.public_key}.
     *
     * @param base64 the key in base64, padded or not
     * @return the key
     */
    public static BackupPublicKey fromBase64(String base64) {
        return new BackupPublicKey(MatrixBase64.decode(base64, LENGTH, "backup public_key"));
    }

    /**
     * The key's bytes.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The key as {@code auth_data.public_key} holds it.
     *
     * @return unpadded base64
     */
    public String toBase64() {
        return MatrixBase64.encode(bytes);
    }

    /**
     * Encrypts one session (its room and session ids are not part of the plaintext).
     *
     * @param key the session to encrypt
     * @return the encrypted {@code session_data}
     */
    public SessionData encrypt(ExportedRoomKey key) {
        SecretBuffer plain = new SecretBuffer(512);
        BackedUpSessionJson.write(key, plain);
        int ptLength = plain.length();
        int ctLength = Math.toIntExact(panolm_backup_h.panolm_backup_ciphertext_length(ptLength));
        try (plain; Arena arena = Arena.ofConfined()) {
            MemorySegment pub = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            MemorySegment in = arena.allocate(ptLength);
            MemorySegment.copy(plain.array(), 0, in, ValueLayout.JAVA_BYTE, 0, ptLength);
            plain.wipe();
            MemorySegment eph = arena.allocate(32);
            MemorySegment ct = arena.allocate(ctLength);
            MemorySegment ctLen = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment mac = arena.allocate(8);
            int rc = panolm_backup_h.panolm_backup_encrypt(pub, in, ptLength, eph, ct, ctLength, ctLen, mac);
            in.fill((byte) 0);
            NativeStatus.check(rc, "backup encryption of session " + key.sessionId());
            return new SessionData(MatrixBase64.encode(eph.toArray(ValueLayout.JAVA_BYTE)),
                    MatrixBase64.encode(ct.toArray(ValueLayout.JAVA_BYTE)),
                    MatrixBase64.encode(mac.toArray(ValueLayout.JAVA_BYTE)));
        }
    }

    /**
     * Encrypts every record for this backup in one native call over all cores, and returns the
     * {@code PUT /room_keys/keys} body. Each record's {@code first_message_index}, {@code forwarded_count}
     * and {@code is_verified} come from the record.
     *
     * @param records the sessions
     * @return the request body
     */
    public RoomKeysBody encrypt(Collection<RoomKeyRecord> records) {
        return encrypt(records, 0);
    }

    /**
     * As {@link #encrypt(Collection)} on at most {@code threads} threads (0 = one per core).
     *
     * @param records the sessions
     * @param threads the most threads to use; 0 for one per core
     * @return the request body
     */
    public RoomKeysBody encrypt(Collection<RoomKeyRecord> records, int threads) {
        return BackupBatch.encrypt(bytes, List.copyOf(records), threads);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackupPublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "BackupPublicKey[" + toBase64() + "]";
    }
}
