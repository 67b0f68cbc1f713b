package org.panolm.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.cli.CliException;
import org.panolm.cli.ExitCodes;
import org.panolm.cli.Json;
import org.panolm.cli.Main;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code panolm aot-training DIR} (hidden): the workload the {@code ./panolm} launcher records a JDK AOT cache
 * from (classes loaded and linked, method profiles), so that later commands start without loading and
 * warming them again. It runs the two bulk commands as a user does, in this JVM and on synthetic data in
 * {@code DIR}: {@code history decrypt} of a few thousand events, and {@code backup restore} of a small body.
 * Throwaway keys only; nothing it makes is kept or printed.
 */
@Command(name = "aot-training", hidden = true,
        description = "Runs history decrypt and backup restore on synthetic data in DIR (the launcher's AOT cache training).")
public final class AotTrainingCommand implements Callable<Integer> {
    /** Enough events and keys for the hot paths to be profiled, few enough to take about a second. */
    private static final int SESSIONS = 10;
    private static final int EVENTS = 6_000;
    private static final int BACKUP_KEYS = 2_000;
    private static final String ROOM = "!training:example.org";
    private static final String SENDER_KEY = "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI";
    private static final String SENDER_ED25519 = "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c";

    @Parameters(paramLabel = "DIR", description = "An empty folder for the synthetic data.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Files.createDirectories(dir);
        Path keys = dir.resolve("keys.json");
        Path history = dir.resolve("history.jsonl");
        writeHistory(history, keys);
        Path body = dir.resolve("backup.json");
        Path recoveryKey = dir.resolve("recovery-key");
        writeBackup(body, recoveryKey);
        expect(Main.run("history", "decrypt", "--keys", keys.toString(), "--in", history.toString(),
                "--out", dir.resolve("history.out.jsonl").toString()), "history decrypt");
        expect(Main.run("backup", "restore", "--backup", body.toString(), "--recovery-key-file", recoveryKey.toString(),
                "--out", dir.resolve("restored.json").toString(), "--out-json"), "backup restore");
        return ExitCodes.OK;
    }

    private static void expect(int status, String what) {
        if (status != ExitCodes.OK) {
            throw new CliException("aot-training: " + what + " exited with " + status);
        }
    }

    /** Events as /messages lists them (newest first) over a few sessions, and their keys as a JSON array. */
    private static void writeHistory(Path history, Path keysFile) throws IOException {
        List<MegolmOutboundSession> outbound = new ArrayList<>();
        ArrayNode keys = Json.MAPPER.createArrayNode();
        try {
            for (int s = 0; s < SESSIONS; s++) {
                MegolmOutboundSession o = MegolmOutboundSession.create();
                outbound.add(o);
                try (MegolmInboundSession in = MegolmInboundSession.create(o.sessionKey())) {
                    ObjectNode key = keys.addObject();
                    key.put("algorithm", ExportedRoomKey.MEGOLM_V1).put("room_id", ROOM).put("sender_key", SENDER_KEY)
                            .put("session_id", o.sessionId()).put("session_key", in.exportAt(0).toBase64());
                    key.putObject("sender_claimed_keys").put("ed25519", SENDER_ED25519);
                    key.putArray("forwarding_curve25519_key_chain");
                }
            }
            String[] lines = new String[EVENTS];
            for (int i = 0; i < EVENTS; i++) {
                MegolmOutboundSession o = outbound.get(i % SESSIONS);
                String plaintext = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"message "
                        + i + "\"},\"room_id\":\"" + ROOM + "\"}";
                lines[i] = "{\"type\":\"m.room.encrypted\",\"event_id\":\"$training" + i + "\",\"room_id\":\"" + ROOM
                        + "\",\"sender\":\"@alice:example.org\",\"origin_server_ts\":" + (1_700_000_000_000L + i)
                        + ",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\",\"sender_key\":\"" + SENDER_KEY
                        + "\",\"device_id\":\"ALICE\",\"session_id\":\"" + o.sessionId() + "\",\"ciphertext\":\""
                        + o.encrypt(plaintext.getBytes(StandardCharsets.UTF_8)) + "\"}}\n";
            }
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(history))) {
                for (int i = EVENTS - 1; i >= 0; i--) {
                    out.write(lines[i].getBytes(StandardCharsets.UTF_8));
                }
            }
        } finally {
            outbound.forEach(MegolmOutboundSession::close);
        }
        Json.MAPPER.writeValue(keysFile.toFile(), keys);
    }

    /** A /room_keys/keys body of throwaway sessions and its Security Key. */
    private static void writeBackup(Path body, Path recoveryKey) throws IOException {
        List<RoomKeyRecord> records = new ArrayList<>();
        try (MegolmOutboundSession o = MegolmOutboundSession.create();
             MegolmInboundSession in = MegolmInboundSession.create(o.sessionKey())) {
            ExportedRoomKey key = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, ROOM, SENDER_KEY, o.sessionId(),
                    in.exportAt(0).toBase64(), Map.of("ed25519", SENDER_ED25519), List.of(), null);
            // One session filed under many rooms: distinct entries, and one session to create.
            for (int r = 0; r < BACKUP_KEYS; r++) {
                records.add(new RoomKeyRecord(key.withRoomAndSession("!training" + r + ":example.org", o.sessionId()),
                        0, KeyProvenance.UNKNOWN, 0));
            }
        }
        try (BackupDecryptionKey key = BackupDecryptionKey.generate()) {
            Files.write(body, key.publicKey().encrypt(records).toJson());
            Files.writeString(recoveryKey, key.toRecoveryKey() + "\n");
        }
    }
}
