package org.panolm.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;

import org.panolm.cli.Json;
import org.panolm.cli.keys.KeyRing;
import org.panolm.cli.keys.KeySink;
import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

/**
 * The room keys of one Megolm session as they travel to the executors: every key read for that session id
 * (in any room, as the CLI's key ring holds them), in the order read, with its provenance and where it came
 * from, so that an executor's key ring merges them exactly as the CLI's does. Serialised as JSON and sealed.
 */
final class SessionKeys {
    private SessionKeys() {}

    /** One key as read from a key file. */
    record Read(@JsonProperty("key") ExportedRoomKey key, @JsonProperty("provenance") KeyProvenance provenance,
                @JsonProperty("where") String where) {}

    /** Collects the keys read, grouped by session id in the order first seen. */
    static final class Collector implements KeySink {
        private final KeySink also;
        private final Map<String, List<Read>> bySession = new LinkedHashMap<>();

        /** @param also receives every key and rejection too (the driver's key ring, which reports them) */
        Collector(KeySink also) {
            this.also = also;
        }

        @Override
        public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
            also.key(key, provenance, where);
            if (key != null && key.sessionId() != null && !key.sessionId().isEmpty()) {
                bySession.computeIfAbsent(key.sessionId(), s -> new ArrayList<>()).add(new Read(key, provenance, where));
            }
        }

        @Override
        public void rejected(String where, String why) {
            also.rejected(where, why);
        }

        Map<String, List<Read>> bySession() {
            return bySession;
        }
    }

    static byte[] serialise(List<Read> keys) {
        try {
            return Json.MAPPER.writeValueAsBytes(keys);
        } catch (IOException e) {
            throw new IllegalStateException("room keys cannot be written as JSON", e);
        }
    }

    /** Unseals one session's keys and adds them to {@code ring}; the plaintext is wiped. */
    static void addTo(KeyRing ring, SealedKeys seal, String sessionId, byte[] sealed) {
        byte[] plain = seal.open(sessionId, sealed);
        try {
            List<Read> keys = Json.MAPPER.readValue(plain, new TypeReference<List<Read>>() {});
            for (Read r : keys) {
                ring.add(r.key(), r.provenance(), r.where());
            }
        } catch (IOException e) {
            throw new IllegalStateException("the sealed keys of a session are not the JSON this job wrote", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }
}
