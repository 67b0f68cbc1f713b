package org.panolm.engine;

import org.jspecify.annotations.Nullable;
import org.panolm.megolm.KeyProvenance;
import org.panolm.trust.DeviceTrust;

/**
 * A room event decrypted, with everything a client needs to show how far to trust it.
 *
 * @param plaintext the decrypted event JSON ({@code type}, {@code content}, {@code room_id})
 * @param senderUserId the event's sender
 * @param senderDeviceId the device that holds the session's sender key, when known (else null)
 * @param senderDeviceTrust that device's trust now, or null when the device is unknown
 * @param provenance where the key that decrypted it came from, and its trust
 * @param messageIndex the Megolm message index
 * @param doNotStore the session is under the do-not-store flag ({@link DoNotStore}): show the plaintext, but
 *                   never archive or otherwise keep it
 */
public record DecryptedRoomEvent(String plaintext, String senderUserId, @Nullable String senderDeviceId,
                                 @Nullable DeviceTrust senderDeviceTrust, KeyProvenance provenance, long messageIndex,
                                 boolean doNotStore) {
    /**
     * How far the message can be trusted, from the key's provenance.
     *
     * @return the trust
     */
    public KeyProvenance.Trust trust() {
        return provenance.trust();
    }
}
