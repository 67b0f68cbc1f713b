package org.panolm.client.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.backup.BackupRestorer;
import org.panolm.client.backup.RestoreSummary;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.device.OwnDevice;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeySessions;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.BatchResults;
import org.panolm.megolm.BulkDecryptor;
import org.panolm.megolm.KeyProvenance;
import org.panolm.megolm.PreparedBatch;
import org.panolm.olm.Account;
import org.panolm.testkit.TestHomeserverExtension;

/**
 * A real client: matrix-js-sdk with its Rust crypto sets up Secure Backup with a Security Key (as Element does)
 * and sends messages in an encrypted room; panolm signs in as a new device, opens secret storage with that
 * Security Key, restores the backup over HTTP, decrypts the whole history with the bulk decryptor, and verifies
 * itself with the self-signing key js-sdk stored.
 */
class JsSdkBackupInteropTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    /** Every request the client sent passed the spec's schemas (the server's own answers are checked by the extension). */
    @org.junit.jupiter.api.AfterEach
    void noRequestWasRejectedBySpec() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), SERVER.server().rejectedRequests());
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void panolmRestoresAndDecryptsWhatMatrixJsSdkBackedUp() throws Exception {
        String password = "js-sdk password";
        JsonNode js = NodePeer.run("jssdk_sets_up_backup.mjs", SERVER.server().baseUrl().toString(),
                "jsuser" + System.nanoTime(), password, "12");
        String userId = js.path("user_id").asText();
        String roomId = js.path("room_id").asText();
        Set<String> sent = new HashSet<>();
        js.path("bodies").forEach(b -> sent.add(b.asText()));
        assertEquals(12, sent.size());

        try (HomeserverClient client = HomeserverClient.builder(SERVER.server().baseUrl()).build();
             Account account = Account.create()) {
            client.login(userId, password.toCharArray(), "panolm");
            OwnDevice device = new OwnDevice(client.requireCredentials(), account);
            SecureBackup backup = new SecureBackup(client, device);
            try (UnlockedSecrets secrets = backup.unlock(js.path("security_key").asText());
                 KeyStore store = KeyStore.inMemory()) {
                BackupVersion version = backup.currentVersion().orElseThrow();
                assertEquals(js.path("backup_version").asText(), version.version());
                var trust = backup.trust(version, secrets);
                assertTrue(trust.trusted(), trust.findings().toString());

                RestoreSummary restored = new BackupRestorer(client, store, 100)
                        .restore(version, trust.trusted(), secrets.backupKey().orElseThrow(), SessionFilter.all());
                assertEquals(0, restored.failureCount(), restored.failures().toString());
                assertTrue(restored.restored() >= 1, "js-sdk's room key came back");

                List<JsonNode> encrypted = new ArrayList<>();
                JsonNode page = client.get("/_matrix/client/v3/rooms/" + HomeserverClient.segment(roomId)
                        + "/messages?dir=b&limit=100", JsonNode.class);
                page.path("chunk").forEach(e -> {
                    if (PreparedBatch.ENCRYPTED_EVENT_TYPE.equals(e.path("type").asText())) encrypted.add(e);
                });
                assertEquals(12, encrypted.size());
                Set<String> decrypted = new HashSet<>();
                try (RoomKeySessions sessions = RoomKeySessions.of(store, SessionFilter.all());
                     PreparedBatch batch = PreparedBatch.create(encrypted.size())) {
                    for (JsonNode e : encrypted) batch.addEvent(e.toString(), roomId, sessions);
                    BatchResults results = new BulkDecryptor().decrypt(batch);
                    for (int i = 0; i < results.size(); i++) {
                        assertTrue(results.isOk(i), "event " + i + ": " + results.status(i));
                        JsonNode plain = JSON.readTree(results.plaintextString(i));
                        assertEquals(roomId, plain.path("room_id").asText());
                        decrypted.add(plain.path("content").path("body").asText());
                        assertInstanceOf(KeyProvenance.RestoredFromBackup.class, results.provenance(i));
                    }
                }
                assertEquals(sent, decrypted, "every message js-sdk sent");

                // js-sdk's cross-signing keys, from its secret storage, vouch for the panolm device.
                backup.verifyThisDevice(secrets);
            }
        }
    }
}
