package org.panolm.client.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.PanolmException;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.RetryPolicy;
import org.panolm.client.device.OwnDevice;
import org.panolm.crosssigning.CrossSigningKey;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.KeyProvenance;
import org.panolm.olm.Account;
import org.panolm.recovery.Passphrase;
import org.panolm.testkit.TestHomeserverExtension;
import org.panolm.testsupport.Peers;

class SecureBackupTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    /** Every request the client sent passed the spec's schemas (the server's own answers are checked by the extension). */
    @org.junit.jupiter.api.AfterEach
    void noRequestWasRejectedBySpec() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), SERVER.server().rejectedRequests());
    }

    static final RetryPolicy QUICK = new RetryPolicy(5, Duration.ofMillis(20), Duration.ofSeconds(1));
    static final char[] PASSWORD = "account password".toCharArray();
    private static int users;

    /** A logged-in device: its client, account and identity. */
    record Device(HomeserverClient client, Account account, OwnDevice device, SecureBackup backup) implements AutoCloseable {
        static Device register() {
            HomeserverClient c = HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(QUICK).build();
            c.register("sb" + (++users), PASSWORD, "first device");
            return of(c);
        }

        static Device login(String userId) {
            HomeserverClient c = HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(QUICK).build();
            c.login(userId, PASSWORD, "new device");
            return of(c);
        }

        private static Device of(HomeserverClient c) {
            Account a = Account.create();
            OwnDevice d = new OwnDevice(c.requireCredentials(), a);
            return new Device(c, a, d, new SecureBackup(c, d));
        }

        String userId() {
            return device.userId();
        }

        @Override
        public void close() {
            account.close();
            client.close();
        }
    }

    private static KeyStore storeWith(List<RoomKeyRecord> keys) {
        KeyStore store = KeyStore.inMemory();
        store.importKeys(keys);
        return store;
    }

    @Test
    void securityKeyJourneyUploadLoseTheDeviceRestoreVerify() {
        List<RoomKeyRecord> keys = TestKeys.random(350, 7);
        String securityKey;
        String userId;
        BackupVersion version;
        try (Device first = Device.register(); KeyStore store = storeWith(keys)) {
            userId = first.userId();
            SetupResult setup = first.backup().setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets()) {
                securityKey = setup.generatedSecurityKey().orElseThrow();
                assertFalse(setup.toString().contains(securityKey));
                version = setup.version();
                assertTrue(first.backup().trust(version, secrets).trusted());

                BackupUploader uploader = new BackupUploader(first.client(), store, UploadJournal.none(), 100,
                        SessionFilter.all());
                UploadOutcome outcome = uploader.keepCurrent(first.backup(), secrets);
                assertEquals(UploadOutcome.State.UP_TO_DATE, outcome.state());
                assertEquals(350, outcome.sessionsUploaded());
                assertEquals(4, outcome.batches());
                assertEquals(350, outcome.serverCount());
                assertEquals(0, uploader.keepCurrent(first.backup(), secrets).sessionsUploaded(), "nothing twice");
                assertEquals(350L, first.backup().currentVersion().orElseThrow().count());
            }
        }

        // The device is lost: a new login, the Security Key as typed (without its spaces), history back.
        try (Device second = Device.login(userId); KeyStore store = KeyStore.inMemory();
             UnlockedSecrets secrets = second.backup().unlock(securityKey.replace(" ", ""))) {
            BackupVersion current = second.backup().currentVersion().orElseThrow();
            assertEquals(version.version(), current.version());
            boolean trusted = second.backup().trust(current, secrets).trusted();
            assertTrue(trusted, "the backup key from secret storage matches public_key");

            RestoreSummary summary = new BackupRestorer(second.client(), store, 64)
                    .restore(current, trusted, secrets.backupKey().orElseThrow(), SessionFilter.all());
            assertEquals(350, summary.sessionsRead());
            assertEquals(350, summary.restored());
            assertEquals(350, summary.added());
            assertEquals(0, summary.failureCount());
            for (RoomKeyRecord k : keys) {
                RoomKeyRecord got = store.get(k.ref()).orElseThrow();
                assertEquals(k.key().sessionKey(), got.key().sessionKey());
                assertEquals(new KeyProvenance.RestoredFromBackup(current.version(), true), got.provenance());
            }
            // Restored keys are already in that version: nothing to upload again.
            assertTrue(store.pendingBackup(current.version()).isEmpty());

            // Verify the new device with the Security Key: the self-signing key from secret storage signs it.
            second.backup().verifyThisDevice(secrets);
            ObjectNode q = Peers.JSON.createObjectNode();
            q.putObject("device_keys").putArray(userId);
            JsonNode r = second.client().post("/_matrix/client/v3/keys/query", q, JsonNode.class);
            CrossSigningKey selfSigning = UserCrossSigningKeys.fromKeysQuery(r.toString(), userId).orElseThrow()
                    .selfSigningKey().orElseThrow();
            DeviceKeys published = DeviceKeys.fromJson(r.path("device_keys").path(userId).path(second.device().deviceId()).toString());
            assertTrue(published.isSignedBy(selfSigning), "the new device is cross-signed");
        }
    }

    @Test
    void aSingleSessionIsFetchedOnDemand() {
        List<RoomKeyRecord> keys = new java.util.ArrayList<>(TestKeys.random(20, 2));
        while (keys.stream().noneMatch(k -> k.sessionId().contains("/"))) keys.add(TestKeys.random("!room0:localhost"));
        try (Device d = Device.register(); KeyStore store = storeWith(keys)) {
            SetupResult setup = d.backup().setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets(); KeyStore fresh = KeyStore.inMemory()) {
                new BackupUploader(d.client(), store, UploadJournal.none(), 1000, SessionFilter.all())
                        .upload(setup.version());
                BackupRestorer restorer = new BackupRestorer(d.client(), fresh, 10);
                BackupDecryptionKey key = secrets.backupKey().orElseThrow();
                // Session ids are base64: take one with a '/', which travels as %2F in the path.
                RoomKeyRecord wanted = keys.stream().filter(k -> k.sessionId().contains("/")).findFirst().orElseThrow();
                RoomKeyRecord got = restorer.fetch(setup.version(), true, key, wanted.roomId(), wanted.sessionId())
                        .orElseThrow();
                assertEquals(wanted.key().sessionKey(), got.key().sessionKey());
                assertEquals(1, fresh.size());
                assertTrue(restorer.fetch(setup.version(), true, key, wanted.roomId(), "nosuchsession").isEmpty());
                // Another key is refused before any request.
                try (BackupDecryptionKey other = BackupDecryptionKey.generate()) {
                    assertThrows(PanolmException.class,
                            () -> restorer.restore(setup.version(), true, other, SessionFilter.all()));
                }
            }
        }
    }

    @Test
    void securityPhraseUnlocksOnAnotherDevice() {
        try (Device first = Device.register(); Passphrase phrase = Passphrase.of("correct horse battery staple")) {
            SetupResult setup = first.backup().setUpWithPassphrase(phrase, 500_000, PASSWORD);
            assertTrue(setup.generatedSecurityKey().isEmpty());
            String publicKey;
            try (UnlockedSecrets s = setup.secrets()) {
                publicKey = s.backupKey().orElseThrow().publicKey().toBase64();
            }
            try (Device second = Device.login(first.userId());
                 UnlockedSecrets s = second.backup().unlock(phrase)) {
                assertEquals(publicKey, s.backupKey().orElseThrow().publicKey().toBase64());
                assertTrue(s.crossSigning().isPresent());
            }
            try (Device third = Device.login(first.userId()); Passphrase wrong = Passphrase.of("wrong phrase")) {
                assertThrows(PanolmException.class, () -> third.backup().unlock(wrong));
            }
        }
    }

    @Test
    void aRestartMidUploadResumesWithNothingLostAndNothingSentTwice(@TempDir Path dir) {
        List<RoomKeyRecord> keys = TestKeys.random(530, 5);
        byte[] storeKey = new byte[32];
        storeKey[0] = 42;
        Path storeFile = dir.resolve("store");
        try (KeyStore store = KeyStore.open(storeFile, storeKey)) {
            store.importKeys(keys);
            store.save();
        }
        try (Device d = Device.register()) {
            SetupResult setup = d.backup().setUpWithSecurityKey(PASSWORD);
            AtomicInteger sent = new AtomicInteger();
            try (UnlockedSecrets secrets = setup.secrets()) {
                // Faults on the way: rate limits and a server error are retried; nothing is lost.
                SERVER.server().faults().on("PUT", "/room_keys/keys$").times(2).rateLimit(Duration.ofMillis(30));
                SERVER.server().faults().on("PUT", "/room_keys/keys$").times(1).fail(502);
                try (KeyStore store = KeyStore.open(storeFile, storeKey)) {
                    BackupUploader uploader = new BackupUploader(d.client(), store, UploadJournal.in(dir.resolve("journal")),
                            100, SessionFilter.all());
                    uploader.onBatch((v, n) -> {
                        if (sent.addAndGet(n) >= 200) throw new IllegalStateException("the process dies");
                    });
                    assertThrows(IllegalStateException.class, () -> uploader.keepCurrent(d.backup(), secrets));
                }
                assertEquals(200, sent.get());
                // The restart: the store as last saved (no marks in it), the journal as written.
                try (KeyStore store = KeyStore.open(storeFile, storeKey)) {
                    BackupUploader uploader = new BackupUploader(d.client(), store, UploadJournal.in(dir.resolve("journal")),
                            100, SessionFilter.all());
                    uploader.onBatch((v, n) -> sent.addAndGet(n));
                    UploadOutcome outcome = uploader.keepCurrent(d.backup(), secrets);
                    assertEquals(UploadOutcome.State.UP_TO_DATE, outcome.state());
                    assertEquals(330, outcome.sessionsUploaded());
                }
                assertEquals(530, sent.get(), "every session sent exactly once");
                assertEquals(530L, d.backup().currentVersion().orElseThrow().count());
            }
        }
    }

    @Test
    void aChangedVersionIsCheckedForTrustBeforeAnyUpload() throws Exception {
        List<RoomKeyRecord> keys = TestKeys.random(50, 2);
        try (Device d = Device.register(); KeyStore store = storeWith(keys)) {
            SetupResult setup = d.backup().setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupUploader uploader = new BackupUploader(d.client(), store, UploadJournal.none(), 1000, SessionFilter.all());
                assertEquals(50, uploader.keepCurrent(d.backup(), secrets).sessionsUploaded());

                // Someone (a server, an attacker with the token) makes a new version with a key we do not hold.
                String foreign;
                try (BackupDecryptionKey theirs = BackupDecryptionKey.generate()) {
                    ObjectNode body = Peers.JSON.createObjectNode().put("algorithm", BackupVersion.MEGOLM_BACKUP_V1);
                    body.putObject("auth_data").put("public_key", theirs.publicKey().toBase64());
                    foreign = d.client().post("/_matrix/client/v3/room_keys/version", body, JsonNode.class)
                            .path("version").asText();
                }
                store.importKeys(TestKeys.random(5, 1));
                UploadOutcome changed = uploader.upload(setup.version());
                assertEquals(UploadOutcome.State.VERSION_CHANGED, changed.state());
                assertEquals(foreign, changed.currentVersion());
                assertEquals(0, changed.sessionsUploaded());

                UploadOutcome refused = uploader.keepCurrent(d.backup(), secrets);
                assertEquals(UploadOutcome.State.NEW_VERSION_UNTRUSTED, refused.state());
                assertEquals(0L, d.backup().currentVersion().orElseThrow().count(), "nothing went to the foreign version");

                // A reset makes a new key and a version we sign: every key goes to it.
                BackupVersion reset = d.backup().reset(secrets);
                assertNotEquals(foreign, reset.version());
                assertTrue(d.backup().trust(reset, secrets).trusted(), "its key is the one in secret storage");
                var byDevice = d.backup().trust(reset, null);
                assertTrue(byDevice.trusted(), "signed by this device: " + byDevice.findings());
                UploadOutcome all = uploader.keepCurrent(d.backup(), secrets);
                assertEquals(UploadOutcome.State.UP_TO_DATE, all.state());
                assertEquals(55, all.sessionsUploaded());

                // Deleted: the version is gone, an upload to it stops.
                d.backup().deleteVersion(reset.version());
                assertEquals(setup.version().version(), d.backup().currentVersion().orElseThrow().version(),
                        "the newest undeleted version is current again");
                d.backup().deleteVersion(setup.version().version());
                assertTrue(d.backup().currentVersion().isEmpty());
                store.importKeys(TestKeys.random(1, 1));
                assertEquals(UploadOutcome.State.VERSION_GONE, uploader.upload(reset).state());
            }
        }
    }

    @Test
    void aVersionSignedByOurMasterKeyIsTrustedWithoutItsBackupKey() {
        try (Device d = Device.register()) {
            SetupResult setup = d.backup().setUpWithSecurityKey(PASSWORD);
            String securityKey = setup.generatedSecurityKey().orElseThrow();
            setup.secrets().close();
            try (Device other = Device.login(d.userId());
                 UnlockedSecrets all = other.backup().unlock(securityKey);
                 // Only the cross-signing keys: the decision must come from the master key's signature.
                 UnlockedSecrets crossSigningOnly = new UnlockedSecrets(all.keyId(),
                         org.panolm.ssss.SecretStorageKey.generate(), null, org.panolm.crosssigning.OwnCrossSigning.fromSeeds(
                                 d.userId(), seed(all.crossSigning().orElseThrow().master()),
                                 seed(all.crossSigning().orElseThrow().selfSigning()),
                                 seed(all.crossSigning().orElseThrow().userSigning())))) {
                var trust = other.backup().trust(setup.version(), crossSigningOnly);
                assertTrue(trust.trusted(), trust.findings().toString());
                assertTrue(trust.trustedBy().stream().anyMatch(k -> k.contains(
                        all.crossSigning().orElseThrow().master().publicKey())), trust.trustedBy().toString());
            }
        }
    }

    private static byte[] seed(org.panolm.crosssigning.CrossSigningPrivateKey key) {
        return org.panolm.encoding.MatrixBase64.decode(key.exportSeedBase64(), 32, "seed");
    }

    @Test
    void aVersionSignedOnlyByAnotherUnverifiedDeviceIsNotTrusted() {
        try (Device d = Device.register()) {
            SetupResult setup = d.backup().setUpWithSecurityKey(PASSWORD);
            setup.secrets().close();
            try (Device other = Device.login(d.userId())) {
                // The new device holds no secret and did not verify anything: it cannot trust the version.
                var trust = other.backup().trust(setup.version(), null);
                assertFalse(trust.trusted(), trust.findings().toString());
            }
            assertInstanceOf(BackupVersion.class, setup.version());
        }
    }

    /**
     * A restore streamed in several import chunks: every good session arrives, in the store once; an entry that
     * passes the spec's schema but does not decrypt is one failure naming its session, and the rest goes on.
     */
    @Test
    void aStreamedRestoreImportsEveryChunkAndReportsTheEntryThatDoesNotDecrypt() {
        List<RoomKeyRecord> keys = TestKeys.random(250, 3);
        try (Device first = Device.register(); KeyStore store = storeWith(keys)) {
            SetupResult setup = first.backup().setUpWithSecurityKey(PASSWORD);
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupVersion version = setup.version();
                UploadOutcome outcome = new BackupUploader(first.client(), store, UploadJournal.none(), 40,
                        SessionFilter.all()).upload(version);
                assertEquals(250, outcome.sessionsUploaded());
                assertEquals(250, outcome.serverCount());
                String bad = "{\"first_message_index\":0,\"forwarded_count\":0,\"is_verified\":false,"
                        + "\"session_data\":{\"ephemeral\":\"AAAA\",\"ciphertext\":\"AAAA\",\"mac\":\"AAAA\"}}";
                first.client().sendRaw("PUT", "/_matrix/client/v3/room_keys/keys/" + HomeserverClient.segment(
                                "!odd:localhost") + "/badsession?version=" + HomeserverClient.segment(version.version()),
                        java.net.http.HttpRequest.BodyPublishers.ofString(bad), "application/json", JsonNode.class);
                try (KeyStore fresh = KeyStore.inMemory()) {
                    RestoreSummary summary = new BackupRestorer(first.client(), fresh, 64).restore(version, true,
                            secrets.backupKey().orElseThrow(), SessionFilter.all());
                    assertEquals(251, summary.sessionsRead());
                    assertEquals(250, summary.restored());
                    assertEquals(250, summary.added());
                    assertEquals(1, summary.failureCount());
                    assertEquals("badsession", summary.failures().getFirst().sessionId());
                    assertEquals(250, fresh.size());
                    for (RoomKeyRecord k : keys) {
                        assertEquals(k.key().sessionKey(), fresh.get(k.ref()).orElseThrow().key().sessionKey());
                    }
                }
            }
        }
    }
}
