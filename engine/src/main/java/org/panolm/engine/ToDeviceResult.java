package org.panolm.engine;

import org.jspecify.annotations.Nullable;

/** What became of one to-device event of a sync. */
public sealed interface ToDeviceResult {
    /**
     * An Olm-encrypted event that decrypted and passed the sender checks.
     *
     * @param event the decrypted payload as JSON text ({@code type}, {@code content}, {@code sender}, ...; a
     *              received secret's value is removed)
     * @param senderUserId the sender
     * @param senderCurve25519Key the Olm sender key
     * @param senderDeviceId the sender's device, when the key belongs to a known device (else null)
     */
    record Decrypted(String event, String senderUserId, String senderCurve25519Key, @Nullable String senderDeviceId)
            implements ToDeviceResult {}

    /**
     * An event that was not encrypted (passed through as it came).
     *
     * @param event the event as JSON text
     */
    record PlainText(String event) implements ToDeviceResult {}

    /**
     * A redelivery of a message already handled: ignored.
     *
     * @param senderUserId the sender
     */
    record Duplicate(String senderUserId) implements ToDeviceResult {}

    /**
     * An event that could not be used, and why (no secrets).
     *
     * @param senderUserId the sender as the event claims it, or null
     * @param reason what failed
     */
    record Failed(@Nullable String senderUserId, String reason) implements ToDeviceResult {}
}
