package org.panolm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.backup.BackupVersion;
import org.panolm.client.backup.BackupRestorer;
import org.panolm.client.backup.BackupUploader;
import org.panolm.client.backup.RestoreSummary;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.TestKeysAccess;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.backup.UploadJournal;
import org.panolm.client.device.OwnDevice;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.olm.Account;
import org.panolm.testkit.TestHomeserver;

/** The journey of README.md's "Online" section, kept compiling and passing here. Keep the two in step. */
class ClientReadmeExampleTest {
    @Test
    void theJourneyRuns(@TempDir Path stateDir) {
        char[] password = "correct horse".toCharArray();
        List<RoomKeyRecord> roomKeys = List.of(TestKeysAccess.random("!a:localhost"), TestKeysAccess.random("!b:localhost"));
        RestoreSummary result;
        // README-CLIENT-START
        try (TestHomeserver server = TestHomeserver.start();
             HomeserverClient laptop = HomeserverClient.builder(server.baseUrl()).build();
             Account laptopAccount = Account.create();
             KeyStore laptopKeys = KeyStore.inMemory()) {
            String me = laptop.register("alice", password, "laptop").userId();
            SecureBackup backup = new SecureBackup(laptop, new OwnDevice(laptop.requireCredentials(), laptopAccount));

            // 1. Set up Secure Backup; show the Security Key once.
            SetupResult setup = backup.setUpWithSecurityKey(password);
            String securityKey = setup.generatedSecurityKey().orElseThrow();

            // 2. Keep it current: the room keys the device holds go up in batches, each at most once.
            laptopKeys.importKeys(roomKeys);
            try (UnlockedSecrets secrets = setup.secrets()) {
                new BackupUploader(laptop, laptopKeys, UploadJournal.in(stateDir), BackupUploader.DEFAULT_BATCH,
                        SessionFilter.all()).keepCurrent(backup, secrets);
            }

            // 3. The laptop is lost. On a new phone: sign in, enter the Security Key, get the history back.
            try (HomeserverClient phone = HomeserverClient.builder(server.baseUrl()).build();
                 Account phoneAccount = Account.create();
                 KeyStore phoneKeys = KeyStore.inMemory()) {
                phone.login(me, password, "phone");
                SecureBackup phoneBackup = new SecureBackup(phone, new OwnDevice(phone.requireCredentials(), phoneAccount));
                try (UnlockedSecrets secrets = phoneBackup.unlock(securityKey)) {
                    BackupVersion version = phoneBackup.currentVersion().orElseThrow();
                    boolean trusted = phoneBackup.trust(version, secrets).trusted();
                    result = new BackupRestorer(phone, phoneKeys, BackupRestorer.DEFAULT_CHUNK)
                            .restore(version, trusted, secrets.backupKey().orElseThrow(), SessionFilter.all());

                    // 4. Verify the phone with the Security Key: no other device has to be online.
                    phoneBackup.verifyThisDevice(secrets);
                }
            }
        }
        // README-CLIENT-END
        assertEquals(2, result.restored());
        assertTrue(result.authDataTrusted());
    }

    @Test
    void readmeShowsThisJourney() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("interop"))) root = root.getParent();
        assertTrue(root != null, "repository root");
        String source = Files.readString(root.resolve("client/src/test/java/org/panolm/client/ClientReadmeExampleTest.java"));
        String region = source.substring(source.indexOf("// README-CLIENT-START") + 23, source.indexOf("// README-CLIENT-END"));
        String readme = Files.readString(root.resolve("README.md")).lines().map(String::strip)
                .collect(Collectors.joining("\n"));
        for (String line : region.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            assertTrue(readme.contains(line), "README.md lacks the journey line: " + line);
        }
    }
}
