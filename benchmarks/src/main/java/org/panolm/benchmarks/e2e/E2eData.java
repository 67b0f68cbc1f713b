package org.panolm.benchmarks.e2e;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;

/**
 * Writes the data of the end-to-end benchmark ({@code benchmarks/e2e-run}), each set twice: as the
 * {@code panolm} command reads it and as the bare libolm loops in {@code benchmarks/e2e/} read it.
 *
 * <ul>
 * <li>{@code history-S.jsonl}: 100,000 {@code m.room.encrypted} events of 256-byte plaintexts in S sessions
 *     (50, and 1: one busy sender), newest first as {@code /messages} returns them; {@code keys-S.json} their
 *     room keys; {@code group-S.txt} the same messages for libolm, in the order they were sent.</li>
 * <li>{@code backup.json}: a {@code /room_keys/keys} body of 50,000 keys (1,000 sessions, each filed in 50
 *     rooms), {@code backup.recovery-key} its Security Key, {@code pk.txt} the same entries for libolm.</li>
 * </ul>
 */
public final class E2eData {
    private E2eData() {}

    static final String ROOM = "!e2e:example.org";
    static final int EVENTS = 100_000;
    static final int BACKUP_SESSIONS = 1_000;
    static final int BACKUP_ROOMS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENDER_KEY = "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI";
    private static final String SENDER_ED25519 = "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c";

    /** @param args the folder to write into */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        history(dir, 50);
        history(dir, 1);
        backup(dir);
    }

    /** A room event of exactly 256 bytes, as the JMH benchmarks measure. */
    static byte[] plaintext(int i) {
        String head = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"" + i + " ";
        String tail = "\"},\"room_id\":\"" + ROOM + "\"}";
        return (head + "x".repeat(256 - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private static void history(Path dir, int sessions) throws IOException {
        List<MegolmOutboundSession> outbound = new ArrayList<>();
        ArrayNode keys = JSON.createArrayNode();
        try (BufferedWriter group = Files.newBufferedWriter(dir.resolve("group-" + sessions + ".txt"))) {
            for (int s = 0; s < sessions; s++) {
                MegolmOutboundSession o = MegolmOutboundSession.create();
                outbound.add(o);
                try (MegolmInboundSession in = MegolmInboundSession.create(o.sessionKey())) {
                    String exported = in.exportAt(0).toBase64();
                    group.write("K " + exported + "\n");
                    ObjectNode key = keys.addObject();
                    key.put("algorithm", ExportedRoomKey.MEGOLM_V1).put("room_id", ROOM).put("sender_key", SENDER_KEY)
                            .put("session_id", o.sessionId()).put("session_key", exported);
                    key.putObject("sender_claimed_keys").put("ed25519", SENDER_ED25519);
                    key.putArray("forwarding_curve25519_key_chain");
                }
            }
            // Sent in order (round robin over the sessions); the history lists them newest first.
            String[] lines = new String[EVENTS];
            for (int i = 0; i < EVENTS; i++) {
                int s = i % sessions;
                MegolmOutboundSession o = outbound.get(s);
                String ciphertext = o.encrypt(plaintext(i));
                group.write("M " + s + " " + ciphertext + "\n");
                lines[i] = "{\"type\":\"m.room.encrypted\",\"event_id\":\"$e2e" + i + "\",\"room_id\":\"" + ROOM
                        + "\",\"sender\":\"@alice:example.org\",\"origin_server_ts\":" + (1_700_000_000_000L + i)
                        + ",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"" + SENDER_KEY
                        + "\",\"device_id\":\"ALICE\",\"session_id\":\"" + o.sessionId() + "\",\"ciphertext\":\""
                        + ciphertext + "\"}}\n";
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve("history-" + sessions + ".jsonl"))) {
                for (int i = EVENTS - 1; i >= 0; i--) {
                    out.write(lines[i].getBytes(StandardCharsets.US_ASCII));
                }
            }
        } finally {
            outbound.forEach(MegolmOutboundSession::close);
        }
        JSON.writeValue(dir.resolve("keys-" + sessions + ".json").toFile(), keys);
    }

    private static void backup(Path dir) throws IOException {
        List<RoomKeyRecord> records = new ArrayList<>();
        for (int s = 0; s < BACKUP_SESSIONS; s++) {
            try (MegolmOutboundSession o = MegolmOutboundSession.create();
                 MegolmInboundSession in = MegolmInboundSession.create(o.sessionKey())) {
                ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, ROOM, SENDER_KEY, o.sessionId(),
                        in.exportAt(0).toBase64(), Map.of("ed25519", SENDER_ED25519), List.of(), null);
                for (int r = 0; r < BACKUP_ROOMS; r++) {
                    records.add(new RoomKeyRecord(key.withRoomAndSession("!backup" + r + ":example.org", o.sessionId()),
                            0, KeyProvenance.UNKNOWN, 0));
                }
            }
        }
        try (BackupDecryptionKey key = BackupDecryptionKey.generate()) {
            byte[] body = key.publicKey().encrypt(records).toJson();
            Files.write(dir.resolve("backup.json"), body);
            Files.writeString(dir.resolve("backup.recovery-key"), key.toRecoveryKey() + "\n");
            byte[] raw = key.toBytes();
            try (BufferedWriter pk = Files.newBufferedWriter(dir.resolve("pk.txt"))) {
                pk.write("P " + HexFormat.of().formatHex(raw) + "\n");
                java.util.Arrays.fill(raw, (byte) 0);
                JsonNode rooms = JSON.readTree(body).get("rooms");
                for (Iterator<JsonNode> r = rooms.elements(); r.hasNext(); ) {
                    for (Iterator<JsonNode> e = r.next().get("sessions").elements(); e.hasNext(); ) {
                        JsonNode data = e.next().get("session_data");
                        pk.write("E " + data.get("ephemeral").asText() + " " + data.get("mac").asText() + " "
                                + data.get("ciphertext").asText() + "\n");
                    }
                }
            }
        }
    }
}
