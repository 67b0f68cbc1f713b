package org.panolm.verification.qr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * The binary payload of a verification QR code (docs/formats.md §9.2):
 * {@code "MATRIX" | 0x02 | mode | u16 BE id length | flow id (UTF-8) | key1 (32) | key2 (32) | shared secret}.
 * The flow id is the {@code transaction_id} (to-device) or the request's event id (in-room). The shared secret
 * is what the scanner sends back in {@code m.reciprocate.v1}; {@link #toString()} never shows it.
 */
public final class QrCodeData {
    /** The bytes every code starts with. */
    public static final byte[] HEADER = "MATRIX".getBytes(StandardCharsets.US_ASCII);
    /** The format version. */
    public static final int VERSION = 0x02;
    /** The length of each key, in bytes. */
    public static final int KEY_LENGTH = 32;
    /** The spec asks for about 8 bytes; rust-sdk refuses fewer than 8 and makes 16, as panolm does. */
    public static final int MIN_SECRET_LENGTH = 8;
    /** The length of the secrets panolm makes, in bytes. */
    public static final int DEFAULT_SECRET_LENGTH = 16;
    private static final int FIXED = HEADER.length + 2 + 2; // header, version, mode, length

    private final QrVerificationMode mode;
    private final String flowId;
    private final byte[] key1;
    private final byte[] key2;
    private final byte[] sharedSecret;

    /**
     * A code's contents.
     *
     * @param mode who shows the code, and what its keys are
     * @param flowId the flow id: the transaction id or the request's event id
     * @param key1 the first key (32 bytes)
     * @param key2 the second key (32 bytes)
     * @param sharedSecret the secret the scanner sends back (at least 8 bytes); copied
     */
    public QrCodeData(QrVerificationMode mode, String flowId, byte[] key1, byte[] key2, byte[] sharedSecret) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.flowId = Objects.requireNonNull(flowId, "flowId");
        if (flowId.getBytes(StandardCharsets.UTF_8).length > 0xFFFF) {
            throw new PanolmException(Status.TOO_LARGE, "QR flow id is longer than 65535 bytes");
        }
        this.key1 = requireKey(key1, "QR key1");
        this.key2 = requireKey(key2, "QR key2");
        if (sharedSecret == null || sharedSecret.length < MIN_SECRET_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "QR shared secret must be at least " + MIN_SECRET_LENGTH + " bytes");
        }
        this.sharedSecret = sharedSecret.clone();
    }

    private static byte[] requireKey(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, what + " must be " + KEY_LENGTH + " bytes");
        }
        return key.clone();
    }

    /**
     * The bytes to put in a single byte-mode QR segment.
     *
     * @return the payload
     */
    public byte[] encode() {
        byte[] id = flowId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(FIXED + id.length + 2 * KEY_LENGTH + sharedSecret.length);
        b.put(HEADER).put((byte) VERSION).put((byte) mode.code()).putShort((short) id.length).put(id)
                .put(key1).put(key2).put(sharedSecret);
        return b.array();
    }

    /** A payload error: the part ({@code field}) and its byte offset ({@code index}) as data. */
    private static PanolmException payload(Status status, String field, long offset, String reason) {
        return new PanolmException(status, new ErrorDetail("QR payload", null, field, offset, reason));
    }

    /**
     * Parses a scanned payload. Errors name the part that is wrong: {@code TRUNCATED} (too short for the
     * header, the id or the keys), {@code BAD_MESSAGE_FORMAT} (not {@code MATRIX}, unknown mode, id not UTF-8),
     * {@code BAD_VERSION}, {@code BAD_KEY} (shared secret under 8 bytes).
     *
     * @param data the scanned payload
     * @return the code's contents
     */
    public static QrCodeData decode(byte[] data) {
        if (data == null || data.length < HEADER.length) {
            throw payload(Status.TRUNCATED, "header", 0, "is shorter than MATRIX");
        }
        if (!Arrays.equals(data, 0, HEADER.length, HEADER, 0, HEADER.length)) {
            throw payload(Status.BAD_MESSAGE_FORMAT, "header", 0, "is not MATRIX: not a verification code");
        }
        if (data.length < HEADER.length + 1) {
            throw payload(Status.TRUNCATED, "version", HEADER.length, "is missing: the payload ends before it");
        }
        int version = data[HEADER.length] & 0xFF;
        if (version != VERSION) {
            throw payload(Status.BAD_VERSION, "version", HEADER.length, version + " is not 2");
        }
        if (data.length < HEADER.length + 2) {
            throw payload(Status.TRUNCATED, "mode", HEADER.length + 1, "is missing: the payload ends before it");
        }
        int modeByte = data[HEADER.length + 1] & 0xFF;
        QrVerificationMode mode = QrVerificationMode.fromCode(modeByte).orElseThrow(() ->
                payload(Status.BAD_MESSAGE_FORMAT, "mode", HEADER.length + 1, modeByte + " is not 0, 1 or 2"));
        if (data.length < FIXED) {
            throw payload(Status.TRUNCATED, "flow id length", HEADER.length + 2, "is missing: the payload ends before it");
        }
        int idLength = (data[HEADER.length + 2] & 0xFF) << 8 | (data[HEADER.length + 3] & 0xFF);
        if (data.length < FIXED + idLength) {
            throw payload(Status.TRUNCATED, "flow id", FIXED, "of " + idLength + " bytes is cut off: the payload ends inside it");
        }
        if (data.length < FIXED + idLength + 2 * KEY_LENGTH) {
            throw payload(Status.TRUNCATED, "keys", FIXED + idLength, "are cut off: the payload ends inside them");
        }
        int secretLength = data.length - FIXED - idLength - 2 * KEY_LENGTH;
        if (secretLength < MIN_SECRET_LENGTH) {
            throw payload(Status.BAD_KEY, "shared secret", FIXED + idLength + 2 * KEY_LENGTH,
                    "is " + secretLength + " bytes, at least " + MIN_SECRET_LENGTH + " are required");
        }
        String id;
        try {
            id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, FIXED, idLength)).toString();
        } catch (CharacterCodingException e) {
            throw payload(Status.BAD_MESSAGE_FORMAT, "flow id", FIXED, "is not UTF-8");
        }
        int k1 = FIXED + idLength;
        int k2 = k1 + KEY_LENGTH;
        int s = k2 + KEY_LENGTH;
        byte[] secret = Arrays.copyOfRange(data, s, data.length);
        try {
            return new QrCodeData(mode, id, Arrays.copyOfRange(data, k1, k2), Arrays.copyOfRange(data, k2, s), secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Who shows the code, and what its keys are.
     *
     * @return the mode
     */
    public QrVerificationMode mode() {
        return mode;
    }

    /**
     * The flow id.
     *
     * @return the transaction id or the request's event id
     */
    public String flowId() {
        return flowId;
    }

    /**
     * The first key.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] key1() {
        return key1.clone();
    }

    /**
     * The second key.
     *
     * @return a copy of the 32 bytes
     */
    public byte[] key2() {
        return key2.clone();
    }

    /**
     * The shared secret; the caller should wipe its copy after use.
     *
     * @return a copy of the secret
     */
    public byte[] sharedSecret() {
        return sharedSecret.clone();
    }

    /**
     * Constant-time comparison with a secret that came back in {@code m.reciprocate.v1}.
     *
     * @param candidate the secret received
     * @return whether it is this code's secret
     */
    public boolean secretMatches(byte[] candidate) {
        return candidate != null && MessageDigest.isEqual(sharedSecret, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QrCodeData q && mode == q.mode && flowId.equals(q.flowId) && Arrays.equals(key1, q.key1)
                && Arrays.equals(key2, q.key2) && MessageDigest.isEqual(sharedSecret, q.sharedSecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, flowId, Arrays.hashCode(key1), Arrays.hashCode(key2));
    }

    @Override
    public String toString() {
        return "QrCodeData[" + mode + ", flow=" + flowId + ", secret=" + sharedSecret.length + " bytes]";
    }
}
