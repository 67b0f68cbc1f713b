package org.panolm.verification;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A verification event to send: its type ({@code m.key.verification.*}), its content, and its recipient.
 * The content is a fresh copy the caller may serialise as it likes.
 *
 * @param type the event type
 * @param content the event content
 * @param recipient where the event goes
 */
public record OutgoingEvent(String type, ObjectNode content, Recipient recipient) {
    /** Keeps a copy of the content. */
    public OutgoingEvent {
        content = content.deepCopy();
    }

    /**
     * The event content.
     *
     * @return a copy of the content
     */
    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }
}
