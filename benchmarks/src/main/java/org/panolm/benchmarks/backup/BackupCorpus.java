package org.panolm.benchmarks.backup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.backup.KeyBackupData;
import org.panolm.backup.RoomKeyBackup;
import org.panolm.backup.RoomKeysBody;
import org.panolm.backup.SessionData;
import org.panolm.benchmarks.libolm.LibolmPkEncryption;
import org.panolm.benchmarks.support.RoomKeyCorpus;
import org.panolm.encoding.MatrixBase64;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.subtle.SecureRandomBytes;
import org.panolm.subtle.X25519;

/**
 * A backup key pair and room keys of the real shape, backed up before timing by libolm: the keys to
 * encrypt, their {@code session_data}, and the {@code /room_keys/keys} body a restore downloads.
 */
public final class BackupCorpus {
    /** How a Java client without panolm turns a key into the backed-up JSON (room and session ids left out). */
    public static final ObjectMapper JSON = new ObjectMapper();

    public final byte[] privateKey;
    public final String publicKey;
    public final List<ExportedRoomKey> keys;
    public final List<SessionData> ciphertexts;

    public BackupCorpus(int count) {
        privateKey = SecureRandomBytes.next(32);
        publicKey = MatrixBase64.encode(X25519.publicKey(privateKey));
        keys = RoomKeyCorpus.keys(count);
        List<SessionData> c = new ArrayList<>(count);
        try (var enc = new LibolmPkEncryption(publicKey, 2048)) {
            for (ExportedRoomKey k : keys) c.add(enc.encryptToParts(backedUpJson(k)));
        }
        ciphertexts = List.copyOf(c);
    }

    /** {@code BackedUpSessionData} (docs/formats.md §2.1): the key without its room and session ids. */
    public static byte[] backedUpJson(ExportedRoomKey key) {
        try {
            return JSON.writeValueAsBytes(key.withRoomAndSession(null, null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ExportedRoomKey parse(byte[] json) throws java.io.IOException {
        return JSON.readValue(json, ExportedRoomKey.class);
    }

    public List<RoomKeyRecord> records() {
        return keys.stream().map(k -> RoomKeyRecord.of(k, org.panolm.megolm.KeyProvenance.UNKNOWN, 0)).toList();
    }

    /** The body of {@code GET /room_keys/keys} holding every key. */
    public RoomKeysBody body() {
        Map<String, Map<String, KeyBackupData>> rooms = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            ExportedRoomKey k = keys.get(i);
            rooms.computeIfAbsent(k.roomId(), r -> new LinkedHashMap<>())
                    .put(k.sessionId(), new KeyBackupData(0, 0, false, ciphertexts.get(i)));
        }
        Map<String, RoomKeyBackup> out = new LinkedHashMap<>();
        rooms.forEach((room, sessions) -> out.put(room, new RoomKeyBackup(sessions)));
        return new RoomKeysBody(out);
    }
}
