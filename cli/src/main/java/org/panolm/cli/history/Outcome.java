package org.panolm.cli.history;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.megolm.KeyProvenance;

/** What became of one input event. Exactly one outcome per input event, written as one output line. */
public sealed interface Outcome {
    /** Not an encrypted event: written with its fields and {@code "decryption": {"status": "not_encrypted"}}. */
    record NotEncrypted() implements Outcome {}

    /**
     * Decrypted.
     *
     * @param plaintext  the decrypted payload (a JSON object with {@code type} and {@code content})
     * @param senderKey  the session creator's Curve25519 key as the key that decrypted it says, or null
     * @param provenance where that key came from (says how far the result can be trusted)
     * @param copy       which copy of the session decrypted it (0: the first tried)
     * @param copies     how many copies of the session are held (more than one: they conflict)
     */
    record Decrypted(Plaintext plaintext, String sessionId, long messageIndex, String senderKey,
                     KeyProvenance provenance, int copy, int copies) implements Outcome {
        /** From a payload already parsed (it must have a string type and an object content). */
        public Decrypted(ObjectNode plaintext, String sessionId, long messageIndex, String senderKey,
                         KeyProvenance provenance, int copy, int copies) {
            this(Plaintext.of(plaintext), sessionId, messageIndex, senderKey, provenance, copy, copies);
        }
    }

    /**
     * Not decrypted, or not readable at all.
     *
     * @param code   a Megolm status name ({@code BAD_MAC}, {@code UNKNOWN_SESSION}, …, {@code BAD_EVENT})
     * @param reason a sentence naming the field or check that failed; never key material or input content
     */
    record Failed(String code, String reason) implements Outcome {}

    /**
     * Decryptable, but its session is under panolm's do-not-store flag: the sender asked that it not be kept, so
     * an archive holds the event without its plaintext, as {@code "decryption": {"status": "withheld_do_not_store"}}.
     *
     * @param sessionId the flagged session
     */
    record WithheldDoNotStore(String sessionId) implements Outcome {
        /** The {@code status} such a line carries. */
        public static final String STATUS = "withheld_do_not_store";
    }

    NotEncrypted NOT_ENCRYPTED = new NotEncrypted();
}
