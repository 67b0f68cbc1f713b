package org.panolm.export;

import static java.lang.foreign.MemorySegment.ofArray;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import org.panolm.Status;
import org.panolm.bindings.panolm_secrets_h;
import org.panolm.export.RoomKeyExportException.Reason;
import org.panolm.internal.NativeHandle;
import org.panolm.internal.NativeStatus;
import org.panolm.recovery.Passphrase;

/**
 * The native state that encrypts or decrypts an export body chunk by chunk (docs/formats.md §6.1): keys from
 * PBKDF2, AES-256-CTR with WebCrypto's 64-bit counter, the HMAC over header and ciphertext. The native
 * side only decrypts after the MAC verified. Closing wipes the state; it is idempotent and thread-safe, and
 * the state's {@link NativeHandle} does the same if the cipher is forgotten.
 */
final class ExportBodyCipher implements AutoCloseable {
    static final int HEADER_LENGTH = 37;
    static final int MAC_LENGTH = 32;
    private static final long STATE_SIZE = panolm_secrets_h.panolm_export_state_size();

    private final NativeHandle state;
    /** The state's address while open; the calls are synchronized, so one lease covers the cipher's life. */
    private final MemorySegment address;

    private ExportBodyCipher() {
        state = NativeHandle.secretMemory(this, STATE_SIZE, 16, panolm_secrets_h::panolm_export_clear,
                "export cipher");
        address = state.acquire();
    }

    /** Parses the header and derives the keys (the long PBKDF2 step). */
    static ExportBodyCipher init(Passphrase passphrase, byte[] header, int maxRounds) {
        ExportBodyCipher cipher = new ExportBodyCipher();
        byte[] password = passphrase.utf8Copy();
        try (Arena temp = Arena.ofConfined()) {
            MemorySegment p = temp.allocate(Math.max(1, password.length));
            p.copyFrom(ofArray(password));
            MemorySegment h = temp.allocate(HEADER_LENGTH);
            h.copyFrom(ofArray(header).asSlice(0, HEADER_LENGTH));
            int rc = panolm_secrets_h.panolm_export_init(cipher.live(), p, password.length, h, maxRounds);
            p.fill((byte) 0);
            if (rc != 0) {
                cipher.close();
                throw initFailure(rc, header, maxRounds);
            }
            return cipher;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static RuntimeException initFailure(int rc, byte[] header, int maxRounds) {
        long rounds = ((header[33] & 0xffL) << 24) | ((header[34] & 0xff) << 16) | ((header[35] & 0xff) << 8)
                | (header[36] & 0xff);
        if (rc == Status.BAD_VERSION.code()) {
            return new RoomKeyExportException(Reason.BAD_VERSION, "version " + (header[0] & 0xff) + ", only 1 is known");
        }
        if (rc == Status.TOO_LARGE.code()) {
            return new RoomKeyExportException(Reason.TOO_MANY_ROUNDS,
                    rounds + " PBKDF2 rounds is above the limit of " + Integer.toUnsignedString(maxRounds));
        }
        if (rc == Status.INVALID_ARGUMENT.code() && rounds == 0) {
            return new RoomKeyExportException(Reason.BAD_ROUNDS, "0 PBKDF2 rounds");
        }
        NativeStatus.check(rc, "room-key export file: key derivation");
        throw new AssertionError("unreachable");
    }

    synchronized void encrypt(byte[] in, int len, byte[] out) {
        NativeStatus.check(panolm_secrets_h.panolm_export_encrypt(live(), ofArray(in), len, ofArray(out)),
                "room-key export file: encrypt");
    }

    synchronized void finish(byte[] mac32) {
        NativeStatus.check(panolm_secrets_h.panolm_export_finish(live(), ofArray(mac32)), "room-key export file: MAC");
    }

    synchronized void macUpdate(byte[] in, int len) {
        NativeStatus.check(panolm_secrets_h.panolm_export_mac_update(live(), ofArray(in), len),
                "room-key export file: MAC");
    }

    synchronized void verify(byte[] mac32) {
        int rc = panolm_secrets_h.panolm_export_verify(live(), ofArray(mac32));
        if (rc == Status.BAD_MAC.code()) {
            throw new RoomKeyExportException(Reason.WRONG_PASSPHRASE,
                    "the MAC does not verify: wrong passphrase (or the file was altered)");
        }
        NativeStatus.check(rc, "room-key export file: MAC");
    }

    synchronized void decrypt(byte[] in, int len, byte[] out) {
        NativeStatus.check(panolm_secrets_h.panolm_export_decrypt(live(), ofArray(in), len, ofArray(out)),
                "room-key export file: decrypt");
    }

    /** After the second pass: the ciphertext it decrypted must be the one whose MAC verified. */
    synchronized void recheck(byte[] mac32) {
        int rc = panolm_secrets_h.panolm_export_recheck(live(), ofArray(mac32));
        if (rc == Status.BAD_MAC.code()) {
            throw new RoomKeyExportException(Reason.CHANGED_WHILE_READING,
                    "the file changed between verifying and decrypting it: keys already passed on are not trustworthy");
        }
        NativeStatus.check(rc, "room-key export file: MAC");
    }

    private MemorySegment live() {
        if (state.isClosed()) {
            throw new IllegalStateException("export cipher is closed");
        }
        return address;
    }

    @Override
    public synchronized void close() {
        if (!state.isClosed()) {
            state.close();
            state.release(); // the lease taken at creation: the state is wiped and freed now
        }
    }
}
