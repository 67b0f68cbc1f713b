package org.panolm.olm;

import java.util.Arrays;
import java.util.Objects;

/**
 * What {@link Account#createInboundSession} returns: the new session (the caller owns and closes it) and
 * the plaintext of the pre-key message that created it.
 *
 * @param session the new session
 * @param plaintext the first message's plaintext (copied)
 */
public record InboundSession(Session session, byte[] plaintext) implements AutoCloseable {
    /**
     * Copies the plaintext.
     *
     * @param session the new session
     * @param plaintext the first message's plaintext
     */
    public InboundSession {
        Objects.requireNonNull(session, "session");
        plaintext = plaintext.clone();
    }

    /**
     * The first message's plaintext.
     *
     * @return a copy
     */
    @Override
    public byte[] plaintext() {
        return plaintext.clone();
    }

    /** Closes the session and wipes this copy of the plaintext. */
    @Override
    public void close() {
        session.close();
        Arrays.fill(plaintext, (byte) 0);
    }

    @Override
    public String toString() {
        return "InboundSession[" + session + ", " + plaintext.length + " bytes]";
    }
}
