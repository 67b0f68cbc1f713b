package org.panolm.client.sync;

import java.util.List;

import org.panolm.keystore.RoomKeyRecord;

/**
 * Told of the room keys a sync brought (over Olm, or forwarded), as the engine's store now holds them; sessions
 * under panolm's do-not-store flag are left out, since a listener typically backs the keys up.
 */
@FunctionalInterface
public interface RoomKeyListener {
    /**
     * Room keys arrived.
     *
     * @param keys the stored copies of the keys that arrived in one sync response
     */
    void received(List<RoomKeyRecord> keys);
}
