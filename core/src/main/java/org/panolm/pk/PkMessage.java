package org.panolm.pk;

import java.util.Arrays;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * One message of libolm's PK encryption ({@code m.megolm_backup.v1.curve25519-aes-sha2}'s
 * {@code session_data}): the sender's ephemeral Curve25519 key (32 bytes), the 8-byte MAC and the
 * AES-256-CBC ciphertext. Legacy scheme: the MAC is taken over the empty string, so it authenticates
 * neither the ciphertext nor the sender (docs/formats.md §2.3).
 *
 * @param ephemeralKey the sender's ephemeral Curve25519 public key (32 bytes)
 * @param mac the legacy MAC (8 bytes)
 * @param ciphertext the AES-256-CBC ciphertext, whole blocks
 */
public record PkMessage(byte[] ephemeralKey, byte[] mac, byte[] ciphertext) {
    public static final int KEY_LENGTH = 32;
    public static final int MAC_LENGTH = 8;

    /** Checks the lengths and keeps copies. */
    public PkMessage {
        if (ephemeralKey == null || ephemeralKey.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "PK message ephemeral key must be " + KEY_LENGTH + " bytes");
        }
        if (mac == null || mac.length != MAC_LENGTH) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "PK message MAC must be " + MAC_LENGTH + " bytes");
        }
        if (ciphertext == null || ciphertext.length == 0 || ciphertext.length % 16 != 0) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT,
                    "PK message ciphertext must be a non-empty multiple of 16 bytes");
        }
        ephemeralKey = ephemeralKey.clone();
        mac = mac.clone();
        ciphertext = ciphertext.clone();
    }

    /**
     * From the three base64 fields of {@code session_data}.
     *
     * @param ephemeral the ephemeral key in base64
     * @param mac the MAC in base64
     * @param ciphertext the ciphertext in base64
     * @return the message
     */
    public static PkMessage fromBase64(String ephemeral, String mac, String ciphertext) {
        return new PkMessage(MatrixBase64.decode(ephemeral, KEY_LENGTH, "ephemeral"), MatrixBase64.decode(mac, "mac"),
                MatrixBase64.decode(ciphertext, "ciphertext"));
    }

    /**
     * The sender's ephemeral key.
     *
     * @return a copy of the 32 bytes
     */
    @Override
    public byte[] ephemeralKey() {
        return ephemeralKey.clone();
    }

    /**
     * The legacy MAC.
     *
     * @return a copy of the 8 bytes
     */
    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /**
     * The ciphertext.
     *
     * @return a copy of the bytes
     */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * The {@code ephemeral} field of {@code session_data}.
     *
     * @return unpadded base64
     */
    public String ephemeralKeyBase64() {
        return MatrixBase64.encode(ephemeralKey);
    }

    /**
     * The {@code mac} field of {@code session_data}.
     *
     * @return unpadded base64
     */
    public String macBase64() {
        return MatrixBase64.encode(mac);
    }

    /**
     * The {@code ciphertext} field of {@code session_data}.
     *
     * @return unpadded base64
     */
    public String ciphertextBase64() {
        return MatrixBase64.encode(ciphertext);
    }

    /** Without copying, for this package's libolm calls. */
    byte[] ephemeralKeyUnsafe() {
        return ephemeralKey;
    }

    byte[] macUnsafe() {
        return mac;
    }

    byte[] ciphertextUnsafe() {
        return ciphertext;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PkMessage m && Arrays.equals(ephemeralKey, m.ephemeralKey) && Arrays.equals(mac, m.mac)
                && Arrays.equals(ciphertext, m.ciphertext);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ephemeralKey) * 31 + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "PkMessage[ephemeral=" + ephemeralKeyBase64() + ", " + ciphertext.length + " bytes]";
    }
}
