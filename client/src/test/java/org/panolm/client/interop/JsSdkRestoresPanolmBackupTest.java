package org.panolm.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.panolm.client.HomeserverClient;
import org.panolm.client.backup.BackupUploader;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.backup.UploadJournal;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.client.device.OwnDevice;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.olm.Account;
import org.panolm.recovery.Passphrase;
import org.panolm.testkit.TestHomeserverExtension;
import org.panolm.testsupport.Peers;

/**
 * The reverse journey: panolm sets up Secure Backup with a Security Phrase, sends encrypted messages in a room
 * and backs up its room key; matrix-js-sdk signs in as a new device, unlocks secret storage with the phrase,
 * restores the backup and decrypts every message.
 */
class JsSdkRestoresPanolmBackupTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    /** Every request the client sent passed the spec's schemas (the server's own answers are checked by the extension). */
    @org.junit.jupiter.api.AfterEach
    void noRequestWasRejectedBySpec() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), SERVER.server().rejectedRequests());
    }

    @Test
    void matrixJsSdkRestoresWhatPanolmBackedUpWithASecurityPhrase() throws Exception {
        String password = "panolm password";
        String phrase = "a long and memorable security phrase";
        List<String> sent = new ArrayList<>();
        String userId;
        String roomId;
        try (HomeserverClient client = HomeserverClient.builder(SERVER.server().baseUrl()).build();
             Account account = Account.create(); KeyStore store = KeyStore.inMemory();
             Passphrase p = Passphrase.of(phrase)) {
            client.register("panolm" + System.nanoTime(), password.toCharArray(), "panolm");
            userId = client.requireCredentials().userId();
            OwnDevice device = new OwnDevice(client.requireCredentials(), account);
            SecureBackup backup = new SecureBackup(client, device);
            SetupResult setup = backup.setUpWithPassphrase(p, 500_000, password.toCharArray());

            ObjectNode create = Peers.JSON.createObjectNode().put("name", "panolm history");
            ObjectNode encryption = create.putArray("initial_state").addObject();
            encryption.put("type", "m.room.encryption").put("state_key", "");
            encryption.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2");
            roomId = client.post("/_matrix/client/v3/createRoom", create, JsonNode.class).path("room_id").asText();

            try (UnlockedSecrets secrets = setup.secrets(); MegolmOutboundSession outbound = MegolmOutboundSession.create();
                 MegolmInboundSession inbound = MegolmInboundSession.create(outbound.sessionKey(), roomId)) {
                // The device keeps its own session, as any sender does, and backs it up.
                String curve = account.identityKeys().curve25519Base64();
                store.importKeys(List.of(RoomKeyRecord.of(new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, roomId, curve,
                        outbound.sessionId(), inbound.exportAt(0).toBase64(), Map.of("ed25519", device.ed25519Key()),
                        List.of(), true), new KeyProvenance.CreatedHere(), 0)));
                for (int i = 0; i < 10; i++) {
                    String body = "message " + i + " from panolm";
                    ObjectNode plain = Peers.JSON.createObjectNode().put("type", "m.room.message").put("room_id", roomId);
                    plain.putObject("content").put("msgtype", "m.text").put("body", body);
                    ObjectNode content = Peers.JSON.createObjectNode().put("algorithm", "m.megolm.v1.aes-sha2")
                            .put("sender_key", curve).put("ciphertext", outbound.encrypt(plain.toString()))
                            .put("session_id", outbound.sessionId()).put("device_id", device.deviceId());
                    client.put("/_matrix/client/v3/rooms/" + HomeserverClient.segment(roomId)
                            + "/send/m.room.encrypted/panolm" + i, content, JsonNode.class);
                    sent.add(body);
                }
                UploadOutcome up = new BackupUploader(client, store, UploadJournal.none(), 100, SessionFilter.all())
                        .keepCurrent(backup, secrets);
                assertEquals(1, up.sessionsUploaded());
            }
        }

        JsonNode js = NodePeer.runWithInput("jssdk_restores_backup.mjs", phrase, SERVER.server().baseUrl().toString(),
                userId, password, roomId);
        assertEquals(1, js.path("restored").path("imported").asInt(), js.toString());
        List<String> bodies = new ArrayList<>();
        js.path("bodies").forEach(b -> bodies.add(b.asText()));
        assertEquals(sent, bodies);
    }
}
