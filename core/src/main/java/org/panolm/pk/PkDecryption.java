package org.panolm.pk;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.bindings.panolm_h;
import org.panolm.bindings.panolm_olm_h;
import org.panolm.encoding.MatrixBase64;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;
import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;

/**
 * A Curve25519 key pair that opens {@link PkMessage}s (libolm's {@code OlmPkDecryption}), e.g. the
 * key-backup private key, on the same native code as {@link org.panolm.backup.BackupDecryptionKey}.
 * Legacy scheme: a successful decryption proves neither who sent the message nor that its ciphertext is
 * unaltered (see {@link PkMessage}); padding is checked strictly and low-order ephemeral keys are
 * refused. The private key lives in native memory only. Close it to wipe the key; after
 * {@link #close()} every method throws {@link IllegalStateException}. Thread-safe.
 */
public final class PkDecryption implements AutoCloseable {
    /** The length of a private or public key, in bytes. */
    public static final int KEY_LENGTH = 32;
    private static final String PREFIX = "panolm1:";
    private static final int PICKLE_KIND = 3;          // PANOLM_PICKLE_PK_DECRYPTION
    private static final int LIBOLM_PICKLE_VERSION = 1;
    private static final int LIBOLM_BODY = 4 + 2 * KEY_LENGTH;
    private static final int MAX_BODY = 8192;   // PANOLM_PICKLE_MAX_BODY_LENGTH

    private final NativeHandle handle;
    private final byte[] publicKey;

    private PkDecryption(byte[] privateKey) {
        this.handle = NativeHandle.secretMemory(this, KEY_LENGTH, 1, s -> s.fill((byte) 0), "PK decryption key");
        MemorySegment secret = handle.acquire();
        MemorySegment.copy(privateKey, 0, secret, JAVA_BYTE, 0, KEY_LENGTH);
        handle.release();
        byte[] pub = new byte[KEY_LENGTH];
        int rc = panolm_h.panolm_x25519_public(secret, MemorySegment.ofArray(pub));
        if (rc != 0) {
            handle.close();
            NativeStatus.check(rc, "PK public key");
        }
        this.publicKey = pub;
    }

    /**
     * A new random key pair.
     *
     * @return the key pair; the caller closes it
     */
    public static PkDecryption generate() {
        byte[] random = org.panolm.subtle.SecureRandomBytes.next(KEY_LENGTH);
        try {
            return new PkDecryption(random);
        } finally {
            Arrays.fill(random, (byte) 0);
        }
    }

    /**
     * The key pair of a Curve25519 private key (e.g. a decoded recovery key); the caller keeps its copy.
     *
     * @param privateKey the 32-byte private key
     * @return the key pair; the caller closes it
     */
    public static PkDecryption fromPrivateKey(byte[] privateKey) {
        if (privateKey == null || privateKey.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "PK private key must be " + KEY_LENGTH + " bytes");
        }
        return new PkDecryption(privateKey);
    }

    /**
     * Restores a key pair from a pickle: panolm's own ({@link #pickle}) or libolm's
     * ({@code olm_pickle_pk_decryption}), told apart by the {@code panolm1:} prefix.
     *
     * @param pickle the pickle text
     * @param pickleKey the key it was pickled with
     * @return the key pair; the caller closes it
     * @throws OlmException {@link OlmError#BAD_ACCOUNT_KEY} for a wrong key or an altered pickle
     */
    public static PkDecryption fromPickle(String pickle, byte[] pickleKey) {
        Objects.requireNonNull(pickle, "pickle");
        Objects.requireNonNull(pickleKey, "pickleKey");
        boolean ours = pickle.startsWith(PREFIX);
        byte[] text = pickle.getBytes(StandardCharsets.ISO_8859_1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
            MemorySegment in = arena.allocateFrom(JAVA_BYTE, text);
            MemorySegment body = arena.allocate(MAX_BODY + 16L);
            MemorySegment bodyLength = arena.allocate(JAVA_LONG);
            try {
                int rc = ours
                        ? panolm_olm_h.panolm_pickle_open(PICKLE_KIND, key, pickleKey.length, in, text.length, body,
                                body.byteSize(), bodyLength)
                        : panolm_olm_h.panolm_libolm_pickle_decrypt(key, pickleKey.length, in, text.length, body,
                                body.byteSize(), bodyLength);
                if (rc != 0) throw pickleFailure(rc);
                long n = bodyLength.get(JAVA_LONG, 0);
                MemorySegment privateKey;
                if (ours) {
                    if (n != KEY_LENGTH) throw new OlmException(OlmError.CORRUPTED_PICKLE, "reading a PK decryption pickle");
                    privateKey = body.asSlice(0, KEY_LENGTH);
                } else {
                    if (n < 4 || body.get(JAVA_INT_BE, 0) != LIBOLM_PICKLE_VERSION) {
                        throw new OlmException(OlmError.UNKNOWN_PICKLE_VERSION, "reading a libolm PK decryption pickle");
                    }
                    if (n != LIBOLM_BODY) throw new OlmException(OlmError.CORRUPTED_PICKLE, "reading a libolm PK decryption pickle");
                    privateKey = body.asSlice(4 + KEY_LENGTH, KEY_LENGTH);
                }
                byte[] bytes = privateKey.toArray(JAVA_BYTE);
                try {
                    PkDecryption pk = new PkDecryption(bytes);
                    if (!ours && !Arrays.equals(pk.publicKey, body.asSlice(4, KEY_LENGTH).toArray(JAVA_BYTE))) {
                        pk.close();
                        throw new OlmException(OlmError.CORRUPTED_PICKLE, "the libolm PK pickle's public key is not its private key's");
                    }
                    return pk;
                } finally {
                    Arrays.fill(bytes, (byte) 0);
                }
            } finally {
                key.fill((byte) 0);
                body.fill((byte) 0);
            }
        }
    }

    private static final java.lang.foreign.ValueLayout.OfInt JAVA_INT_BE = JAVA_INT.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private static PanolmException pickleFailure(int rc) {
        Status status = Status.fromCode(rc);
        OlmError error = switch (status) {
            case BAD_MAC -> OlmError.BAD_ACCOUNT_KEY;
            case BAD_VERSION -> OlmError.UNKNOWN_PICKLE_VERSION;
            case TRUNCATED, BAD_MESSAGE_FORMAT, BAD_PADDING -> OlmError.CORRUPTED_PICKLE;
            case BAD_BASE64 -> OlmError.INVALID_BASE64;
            default -> null;
        };
        String context = "reading a PK decryption pickle";
        return error == null ? new PanolmException(status, context) : new OlmException(error, context);
    }

    /**
     * The key pair encrypted under {@code pickleKey} in panolm's pickle format.
     *
     * @param pickleKey the key
     * @return {@code panolm1:} and unpadded base64
     */
    public String pickle(byte[] pickleKey) {
        return writePickle(pickleKey, false);
    }

    /**
     * The key pair in libolm's pickle format (readable by libolm's {@code olm_unpickle_pk_decryption}).
     *
     * @param pickleKey the key
     * @return libolm's pickle text
     */
    public String toLibolmPickle(byte[] pickleKey) {
        return writePickle(pickleKey, true);
    }

    private String writePickle(byte[] pickleKey, boolean libolm) {
        Objects.requireNonNull(pickleKey, "pickleKey");
        return call(secret -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment key = arena.allocateFrom(JAVA_BYTE, pickleKey);
                MemorySegment body = arena.allocate(LIBOLM_BODY);
                long n;
                if (libolm) {
                    body.set(JAVA_INT_BE, 0, LIBOLM_PICKLE_VERSION);
                    MemorySegment.copy(publicKey, 0, body, JAVA_BYTE, 4, KEY_LENGTH);
                    body.asSlice(4 + KEY_LENGTH, KEY_LENGTH).copyFrom(secret);
                    n = LIBOLM_BODY;
                } else {
                    body.asSlice(0, KEY_LENGTH).copyFrom(secret);
                    n = KEY_LENGTH;
                }
                long cap = 512;
                MemorySegment out = arena.allocate(cap);
                MemorySegment outLength = arena.allocate(JAVA_LONG);
                int rc = libolm ? panolm_olm_h.panolm_libolm_pickle_encrypt(key, pickleKey.length, body, n, out, cap, outLength)
                        : panolm_olm_h.panolm_pickle_seal(PICKLE_KIND, key, pickleKey.length, body, n, out, cap, outLength);
                body.fill((byte) 0);
                key.fill((byte) 0);
                NativeStatus.check(rc, "pickling a PK decryption key");
                return new String(out.asSlice(0, outLength.get(JAVA_LONG, 0)).toArray(JAVA_BYTE), StandardCharsets.US_ASCII);
            }
        });
    }

    /**
     * The Curve25519 public key to encrypt to (the backup's {@code auth_data.public_key}).
     *
     * @return a copy of the 32 bytes
     */
    public byte[] publicKey() {
        return call(s -> publicKey.clone());
    }

    /**
     * The private key.
     *
     * @return a copy of the 32 bytes; the caller owns (and should wipe) it
     */
    public byte[] privateKey() {
        return call(s -> s.toArray(JAVA_BYTE));
    }

    /**
     * Decrypts {@code message}.
     *
     * @param message the message
     * @return the plaintext
     * @throws OlmException {@link OlmError#BAD_MESSAGE_MAC} for another key or a wrong MAC
     * @throws PanolmException {@link Status#NON_CONTRIBUTORY} for a low-order ephemeral key,
     *         {@link Status#BAD_PADDING} for malformed padding
     */
    public byte[] decrypt(PkMessage message) {
        Objects.requireNonNull(message, "message");
        byte[] ciphertext = message.ciphertextUnsafe();
        return call(secret -> {
            byte[] plain = new byte[ciphertext.length];
            long[] length = new long[1];
            int rc = panolm_backup_h.panolm_backup_decrypt(secret, MemorySegment.ofArray(message.ephemeralKeyUnsafe()),
                    MemorySegment.ofArray(message.macUnsafe()), MemorySegment.ofArray(ciphertext), ciphertext.length,
                    MemorySegment.ofArray(plain), plain.length, MemorySegment.ofArray(length));
            if (rc == Status.BAD_MAC.code()) {
                throw new OlmException(OlmError.BAD_MESSAGE_MAC, "PK decryption: the MAC does not verify (another key)");
            }
            NativeStatus.check(rc, "PK decryption");
            byte[] out = Arrays.copyOf(plain, (int) length[0]);
            Arrays.fill(plain, (byte) 0);
            return out;
        });
    }

    private <T> T call(Function<MemorySegment, T> f) {
        MemorySegment s = handle.acquire();
        try {
            return f.apply(s);
        } finally {
            handle.release();
        }
    }

    /** Wipes the private key. Idempotent. */
    @Override
    public void close() {
        handle.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return handle.isClosed();
    }

    @Override
    public String toString() {
        return handle.isClosed() ? "PkDecryption[closed]" : "PkDecryption[" + MatrixBase64.encode(publicKey) + "]";
    }
}
