package org.panolm.verification;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A verification event to send: its type ({@code m.key.verification.*}), its content, and its recipient.
 * The content is a fresh copy the caller may serialise as it likes.
 */
public record OutgoingEvent(String type, ObjectNode content, Recipient recipient) {
    public OutgoingEvent {
        content = content.deepCopy();
    }

    @Override
    public ObjectNode content() {
        return content.deepCopy();
    }
}
