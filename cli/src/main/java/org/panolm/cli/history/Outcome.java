package org.panolm.cli.history;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What became of one input event. Exactly one outcome per input event, written as one output line. */
public sealed interface Outcome {
    /** Not an encrypted event: written with its fields and {@code "decryption": {"status": "not_encrypted"}}. */
    record NotEncrypted() implements Outcome {}

    /**
     * Decrypted.
     *
     * @param plaintext the decrypted JSON object ({@code type}, {@code content}, {@code room_id})
     */
    record Decrypted(ObjectNode plaintext, String sessionId, long messageIndex, String senderKey) implements Outcome {}

    /**
     * Not decrypted, or not readable at all.
     *
     * @param code   a Megolm status name ({@code BAD_MAC}, {@code UNKNOWN_SESSION}, …, {@code BAD_EVENT})
     * @param reason a sentence naming the field or check that failed; never key material or input content
     */
    record Failed(String code, String reason) implements Outcome {}

    NotEncrypted NOT_ENCRYPTED = new NotEncrypted();
}
