package org.panolm.engine.store;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/** Room keys for store tests: well-formed exports with random ratchets and signing keys, made without native calls. */
final class TestKeys {
    private TestKeys() {}

    /** The {@code n}-th key of a deterministic sequence: the same {@code seed} and {@code n} give the same key. */
    static RoomKeyRecord roomKey(long seed, long n) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + n);
        ByteBuffer b = ByteBuffer.allocate(165);
        b.put((byte) 1).putInt(0);
        byte[] rest = new byte[160];
        for (int i = 0; i < rest.length; i++) rest[i] = (byte) random.nextInt(256);
        b.put(rest);
        byte[] bytes = b.array();
        String sessionKey = MatrixBase64.encode(bytes);
        String sessionId = MatrixBase64.encode(java.util.Arrays.copyOfRange(bytes, 133, 165));
        var key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!room" + (n % 97) + ":example.org",
                "senderkey" + seed, sessionId, sessionKey, Map.of("ed25519", "claimed"), List.of(), false);
        return RoomKeyRecord.of(key, new KeyProvenance.ReceivedOverOlm("@a:example.org", "DEV", "senderkey" + seed,
                KeyProvenance.DeviceCheck.KEYS_MATCH), 0);
    }
}
