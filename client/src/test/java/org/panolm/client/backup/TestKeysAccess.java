package org.panolm.client.backup;

import org.panolm.keystore.RoomKeyRecord;

/** {@link TestKeys} for test code outside this package (the benchmark). */
public final class TestKeysAccess {
    private TestKeysAccess() {}

    public static RoomKeyRecord random(String roomId) {
        return TestKeys.random(roomId);
    }
}
