package org.panolm.client.sync;

import java.util.List;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.ToDeviceResult;

/**
 * What one round of the loop did: the requests sent, the sync taken in.
 *
 * @param since the token the sync was made from (null for the first sync of the store)
 * @param nextBatch the response's {@code next_batch}, now kept in the engine's store
 * @param response the whole response body, JSON text, for the caller's rooms
 * @param toDevice what became of each to-device event
 * @param newRoomKeys the room keys this sync brought, as stored
 * @param requestsSent engine requests sent and reported back in this round
 * @param requestFailures engine requests the server refused (still queued)
 */
public record SyncRound(@Nullable String since, String nextBatch, String response, List<ToDeviceResult> toDevice,
                        List<org.panolm.keystore.RoomKeyRecord> newRoomKeys, int requestsSent,
                        List<RequestFailure> requestFailures) {
    /** Copies the lists. */
    public SyncRound {
        toDevice = List.copyOf(toDevice);
        newRoomKeys = List.copyOf(newRoomKeys);
        requestFailures = List.copyOf(requestFailures);
    }
}
