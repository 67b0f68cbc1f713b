package org.panolm.olm;

import java.util.Arrays;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;

/**
 * One Olm message as it travels in {@code m.room.encrypted}'s {@code ciphertext} map: its type and the
 * binary message ({@code body} there is the unpadded base64 of {@link #body()}).
 *
 * @param type the message type
 * @param body the binary message
 */
public record OlmMessage(Type type, byte[] body) {

    /** The message types and their wire numbers. */
    public enum Type {
        /** Type 0: carries the keys that set up the session; sent until the sender has received a reply. */
        PRE_KEY,
        /** Type 1: a message of an established session. */
        NORMAL;

        /**
         * The number in an event's {@code type} field.
         *
         * @return 0 or 1
         */
        public int code() {
            return ordinal();
        }

        /**
         * The type an event's {@code type} field names.
         *
         * @param code 0 or 1
         * @return the type
         */
        public static Type fromCode(long code) {
            if (code == 0) return PRE_KEY;
            if (code == 1) return NORMAL;
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "Olm message type must be 0 or 1, not " + code);
        }
    }

    /** Checks that there is a type and a body, and keeps a copy. */
    public OlmMessage {
        Objects.requireNonNull(type, "type");
        if (body == null || body.length == 0) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "Olm message body is empty");
        }
        body = body.clone();
    }

    /**
     * From the {@code type} and {@code body} fields of an event.
     *
     * @param type the {@code type} field
     * @param body the {@code body} field
     * @return the message
     */
    public static OlmMessage fromBase64(long type, String body) {
        return new OlmMessage(Type.fromCode(type), MatrixBase64.decode(body, "Olm message body"));
    }

    /**
     * The binary message.
     *
     * @return a copy of the bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The {@code body} field of an event.
     *
     * @return unpadded base64 of the message
     */
    public String bodyBase64() {
        return MatrixBase64.encode(body);
    }

    /** Without copying, for this package's libolm calls. */
    byte[] bodyUnsafe() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OlmMessage m && type == m.type && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "OlmMessage[" + type + ", " + body.length + " bytes]";
    }
}
