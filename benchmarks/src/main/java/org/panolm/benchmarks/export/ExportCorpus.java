package org.panolm.benchmarks.export;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.panolm.export.ExportedRoomKey;
import org.panolm.subtle.SecureRandomBytes;

/** Sessions as a room-key export holds them, with random keys of the real sizes, spread over rooms. */
public final class ExportCorpus {
    private ExportCorpus() {}

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    public static List<ExportedRoomKey> sessions(int count) {
        List<ExportedRoomKey> out = new ArrayList<>(count);
        String senderKey = B64.encodeToString(SecureRandomBytes.next(32));
        String ed25519 = B64.encodeToString(SecureRandomBytes.next(32));
        for (int i = 0; i < count; i++) {
            byte[] key = SecureRandomBytes.next(165);
            key[0] = 1;
            key[1] = key[2] = key[3] = key[4] = 0;
            String sessionId = B64.encodeToString(java.util.Arrays.copyOfRange(key, 133, 165));
            out.add(new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!room" + (i % 200) + ":panolm.example", senderKey,
                    sessionId, B64.encodeToString(key), Map.of("ed25519", ed25519), List.of(), null));
        }
        return out;
    }
}
