package org.panolm.client.backup;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.backup.BackupAuthData;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.client.device.OwnDevice;
import org.panolm.crosssigning.BackupAuthDataTrust;
import org.panolm.crosssigning.BackupTrust;
import org.panolm.crosssigning.CrossSigningKey;
import org.panolm.crosssigning.DeviceKeys;
import org.panolm.crosssigning.OwnCrossSigning;
import org.panolm.crosssigning.UserCrossSigningKeys;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.PassphraseInfo;
import org.panolm.ssss.EncryptedSecretContent;
import org.panolm.ssss.NewSecretStorageKey;
import org.panolm.ssss.SecretName;
import org.panolm.ssss.SecretStorage;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.ssss.SecretStorageKeyDescription;
import org.panolm.client.internal.ClientJson;

/**
 * Secure Backup as Element's "Set up Secure Backup" makes it, over one logged-in {@link HomeserverClient}:
 * a secret-storage key (a Security Key, or derived from a Security Phrase) as the default key; new
 * cross-signing keys, uploaded, with this device signed by the self-signing key; the backup key and the three
 * cross-signing private keys stored in secret storage; a backup version whose {@code auth_data} is signed by
 * this device and the master key. On another device, {@link #unlock(String)} opens it again with the Security
 * Key (or {@link #unlock(Passphrase)} with the phrase), and {@link #verifyThisDevice(UnlockedSecrets)} makes
 * that device trusted with the self-signing key found there.
 */
public final class SecureBackup {
    private final HomeserverClient client;
    private final OwnDevice device;
    private final AccountData accountData;

    /**
     * Secure Backup for {@code device}, logged in through {@code client}.
     *
     * @param client the logged-in client
     * @param device this device (its keys are uploaded by set-up and verification)
     */
    public SecureBackup(HomeserverClient client, OwnDevice device) {
        this.client = client;
        this.device = device;
        this.accountData = new AccountData(client);
    }

    // ---------------------------------------------------------------- set up

    /**
     * Sets up Secure Backup with a new Security Key.
     *
     * @param accountPassword the account password, for the cross-signing upload's user-interactive auth
     * @return the Security Key to show once, the version and the unlocked secrets
     */
    public SetupResult setUpWithSecurityKey(char[] accountPassword) {
        NewSecretStorageKey key = NewSecretStorageKey.generate("Security Key");
        return setUp(key, key.key().toRecoveryKey(), accountPassword);
    }

    /**
     * Sets up Secure Backup with a key derived from a Security Phrase ({@code m.pbkdf2}).
     *
     * @param phrase the Security Phrase
     * @param iterations PBKDF2 iterations ({@link PassphraseInfo#DEFAULT_ITERATIONS} as Element uses)
     * @param accountPassword the account password, for the cross-signing upload's user-interactive auth
     * @return the version and the unlocked secrets
     */
    public SetupResult setUpWithPassphrase(Passphrase phrase, int iterations, char[] accountPassword) {
        NewSecretStorageKey key = NewSecretStorageKey.fromPassphrase("Security Phrase", phrase, iterations);
        return setUp(key, null, accountPassword);
    }

    private SetupResult setUp(NewSecretStorageKey key, @Nullable String securityKey, char[] accountPassword) {
        String userId = device.userId();
        OwnCrossSigning crossSigning = null;
        BackupDecryptionKey backupKey = null;
        try {
            device.uploadDeviceKeys(client);
            // The key description first, then the default: a client that sees the default finds its key.
            accountData.put(key.eventType(), key.description());
            accountData.put(org.panolm.ssss.DefaultKeyContent.EVENT_TYPE, key.asDefault());

            crossSigning = OwnCrossSigning.generate(userId);
            client.postWithPassword("/_matrix/client/v3/keys/device_signing/upload", crossSigning.uploadBody().toJson(),
                    accountPassword, JsonNode.class);
            uploadDeviceSignature(crossSigning);
            storeSecret(key, SecretName.CROSS_SIGNING_MASTER, crossSigning.master().exportSeedBase64());
            storeSecret(key, SecretName.CROSS_SIGNING_SELF_SIGNING, crossSigning.selfSigning().exportSeedBase64());
            storeSecret(key, SecretName.CROSS_SIGNING_USER_SIGNING, crossSigning.userSigning().exportSeedBase64());

            backupKey = BackupDecryptionKey.generate();
            storeBackupKey(key.keyId(), key.key(), backupKey);
            BackupVersion version = createVersion(backupKey, crossSigning);
            UnlockedSecrets secrets = new UnlockedSecrets(key.keyId(), key.key(), backupKey, crossSigning);
            return new SetupResult(securityKey, version, secrets);
        } catch (RuntimeException e) {
            key.close();
            if (crossSigning != null) crossSigning.close();
            if (backupKey != null) backupKey.close();
            throw e;
        }
    }

    private void storeSecret(NewSecretStorageKey key, String name, String base64) {
        accountData.put(name, EncryptedSecretContent.of(key.keyId(),
                SecretStorage.encrypt(key.key(), name, base64.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    private void storeBackupKey(String keyId, SecretStorageKey key, BackupDecryptionKey backupKey) {
        byte[] raw = backupKey.toBytes();
        try {
            accountData.put(SecretName.MEGOLM_BACKUP_V1, EncryptedSecretContent.of(keyId,
                    SecretStorage.encryptPrivateKey(key, SecretName.MEGOLM_BACKUP_V1, raw)));
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private void uploadDeviceSignature(OwnCrossSigning crossSigning) {
        ObjectNode signed = tree(crossSigning.signDevice(device.deviceKeys()));
        ObjectNode body = ClientJson.MAPPER.createObjectNode();
        body.putObject(device.userId()).set(device.deviceId(), signed);
        JsonNode r = client.post("/_matrix/client/v3/keys/signatures/upload", body, JsonNode.class);
        JsonNode failures = r.path("failures");
        if (failures.isObject() && !failures.isEmpty()) {
            throw new PanolmException(Status.BAD_SIGNATURE, "the server refused the device signature of "
                    + device.deviceId() + ": " + failures.path(device.userId()).path(device.deviceId()).path("errcode").asText("?"));
        }
    }

    /** Creates a version for {@code backupKey}, its {@code auth_data} signed by this device and the master key. */
    private BackupVersion createVersion(BackupDecryptionKey backupKey, @Nullable OwnCrossSigning crossSigning) {
        ObjectNode authData = ClientJson.MAPPER.createObjectNode().put("public_key", backupKey.publicKey().toBase64());
        String signedJson = device.sign(authData.toString());
        if (crossSigning != null) signedJson = crossSigning.master().sign(signedJson);
        ObjectNode signed = tree(signedJson);
        ObjectNode body = ClientJson.MAPPER.createObjectNode().put("algorithm", BackupVersion.MEGOLM_BACKUP_V1);
        body.set("auth_data", signed);
        JsonNode created = client.post("/_matrix/client/v3/room_keys/version", body, JsonNode.class);
        String version = created.path("version").asText(null);
        if (version == null) {
            throw MatrixApiException.badResponse("POST /_matrix/client/v3/room_keys/version", 200,
                    "field version is missing");
        }
        return version(version).orElseThrow();
    }

    // ---------------------------------------------------------------- versions

    /**
     * The current backup version, or empty when the user has none ({@code 404 M_NOT_FOUND}).
     *
     * @return the version
     */
    public Optional<BackupVersion> currentVersion() {
        return version(null);
    }

    Optional<BackupVersion> version(@Nullable String version) {
        String path = "/_matrix/client/v3/room_keys/version" + (version == null ? "" : "/" + HomeserverClient.segment(version));
        try {
            JsonNode node = client.get(path, JsonNode.class);
            return Optional.of(BackupVersion.fromJson(ClientJson.MAPPER.writeValueAsBytes(node)));
        } catch (MatrixApiException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes a backup version and every key in it.
     *
     * @param version the version
     */
    public void deleteVersion(String version) {
        client.delete("/_matrix/client/v3/room_keys/version/" + HomeserverClient.segment(version), JsonNode.class);
    }

    /**
     * Resets the backup: deletes the current version (if any), makes a new backup key, stores it in secret
     * storage in place of the old one and creates a new version signed by this device and the master key.
     * Keys must then be uploaded again (a {@link BackupUploader} does, since its marks are per version).
     *
     * @param secrets the unlocked secrets; their backup key is replaced
     * @return the new version
     */
    public BackupVersion reset(UnlockedSecrets secrets) {
        currentVersion().ifPresent(v -> deleteVersion(v.version()));
        BackupDecryptionKey fresh = BackupDecryptionKey.generate();
        try {
            storeBackupKey(secrets.keyId(), secrets.secretStorageKey(), fresh);
            BackupVersion v = createVersion(fresh, secrets.crossSigning().orElse(null));
            secrets.replaceBackupKey(fresh);
            return v;
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- unlock and verify

    /**
     * Opens secret storage with a Security Key (as typed: spaces are ignored).
     *
     * @param securityKey the Security Key
     * @return the secrets; the caller closes them
     */
    public UnlockedSecrets unlock(String securityKey) {
        SecretStorageAccountData data = accountData.secretStorage();
        Map.Entry<String, SecretStorageKeyDescription> def = data.defaultKey();
        return open(data, def.getKey(), def.getValue().unlock(securityKey, def.getKey()));
    }

    /**
     * Opens secret storage with a Security Phrase.
     *
     * @param phrase the Security Phrase
     * @return the secrets; the caller closes them
     */
    public UnlockedSecrets unlock(Passphrase phrase) {
        SecretStorageAccountData data = accountData.secretStorage();
        Map.Entry<String, SecretStorageKeyDescription> def = data.defaultKey();
        return open(data, def.getKey(), def.getValue().unlock(phrase, def.getKey()));
    }

    private UnlockedSecrets open(SecretStorageAccountData data, String keyId, SecretStorageKey key) {
        BackupDecryptionKey backupKey = null;
        OwnCrossSigning crossSigning = null;
        try {
            if (data.secret(SecretName.MEGOLM_BACKUP_V1).isPresent()) {
                byte[] raw = data.decryptSecret(SecretName.MEGOLM_BACKUP_V1, keyId, key);
                try {
                    backupKey = BackupDecryptionKey.fromBase64(new String(raw, java.nio.charset.StandardCharsets.US_ASCII).trim());
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
            }
            if (data.secret(SecretName.CROSS_SIGNING_MASTER).isPresent()
                    && data.secret(SecretName.CROSS_SIGNING_SELF_SIGNING).isPresent()
                    && data.secret(SecretName.CROSS_SIGNING_USER_SIGNING).isPresent()) {
                byte[] m = seed(data, SecretName.CROSS_SIGNING_MASTER, keyId, key);
                byte[] s = seed(data, SecretName.CROSS_SIGNING_SELF_SIGNING, keyId, key);
                byte[] u = seed(data, SecretName.CROSS_SIGNING_USER_SIGNING, keyId, key);
                try {
                    crossSigning = OwnCrossSigning.fromSeeds(device.userId(), m, s, u);
                } finally {
                    Arrays.fill(m, (byte) 0);
                    Arrays.fill(s, (byte) 0);
                    Arrays.fill(u, (byte) 0);
                }
            }
            return new UnlockedSecrets(keyId, key, backupKey, crossSigning);
        } catch (RuntimeException e) {
            key.close();
            if (backupKey != null) backupKey.close();
            throw e;
        }
    }

    private static byte[] seed(SecretStorageAccountData data, String name, String keyId, SecretStorageKey key) {
        byte[] text = data.decryptSecret(name, keyId, key);
        try {
            return org.panolm.encoding.MatrixBase64.decode(new String(text, java.nio.charset.StandardCharsets.US_ASCII).trim(),
                    32, name);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    /**
     * Verifies this device with the cross-signing keys from secret storage: checks that they are the user's
     * published keys, then signs this device with the self-signing key and uploads the signature. Opening
     * secret storage proved the user's identity, so no other device has to be online.
     *
     * @param secrets the unlocked secrets
     */
    public void verifyThisDevice(UnlockedSecrets secrets) {
        OwnCrossSigning crossSigning = secrets.crossSigning().orElseThrow(() -> new PanolmException(
                Status.UNKNOWN_SESSION, "secret storage holds no cross-signing keys"));
        device.uploadDeviceKeys(client);
        UserCrossSigningKeys published = ownKeys().orElseThrow(() -> new PanolmException(Status.UNKNOWN_SESSION,
                "the server has no cross-signing keys for " + device.userId()));
        String expected = published.selfSigningKey().map(CrossSigningKey::publicKey).orElse(null);
        if (!crossSigning.master().publicKey().equals(published.master().publicKey())
                || !crossSigning.selfSigning().publicKey().equals(expected)) {
            throw new PanolmException(Status.BAD_KEY, "the cross-signing keys in secret storage are not the ones "
                    + "published for " + device.userId());
        }
        uploadDeviceSignature(crossSigning);
    }

    /** Our user's published cross-signing keys and devices, from {@code /keys/query}. */
    private JsonNode queryOwnKeys() {
        ObjectNode body = ClientJson.MAPPER.createObjectNode();
        body.putObject("device_keys").putArray(device.userId());
        return client.post("/_matrix/client/v3/keys/query", body, JsonNode.class);
    }

    private Optional<UserCrossSigningKeys> ownKeys() {
        return UserCrossSigningKeys.fromKeysQuery(queryOwnKeys().toString(), device.userId());
    }

    // ---------------------------------------------------------------- trust

    /**
     * Whether to trust a backup version before uploading to it or restoring from it: trusted when the
     * backup key we hold (from secret storage) is the version's {@code public_key}; otherwise when its
     * {@code auth_data} carries a valid signature by this device or by our master key that we hold (from
     * secret storage), or by another of our devices that master key's self-signing key signed.
     *
     * @param version the version
     * @param secrets our unlocked secrets, or null
     * @return the decision and its reasons
     */
    public BackupTrust trust(BackupVersion version, @Nullable UnlockedSecrets secrets) {
        BackupAuthData authData = version.authData();
        if (secrets != null && secrets.backupKey().map(k -> k.matches(authData)).orElse(false)) {
            return new BackupTrust(true, java.util.List.of("m.megolm_backup.v1"),
                    java.util.List.of("public_key matches the backup key held in secret storage"));
        }
        JsonNode response = queryOwnKeys();
        UserCrossSigningKeys keys = UserCrossSigningKeys.fromKeysQuery(response.toString(), device.userId()).orElse(null);
        boolean masterTrusted = keys != null && secrets != null && secrets.crossSigning()
                .map(cs -> cs.master().publicKey().equals(keys.master().publicKey())).orElse(false);
        Map<String, DeviceKeys> devices = new HashMap<>();
        response.path("device_keys").path(device.userId()).properties().forEach(e -> {
            try {
                devices.put(e.getKey(), DeviceKeys.fromJson(e.getValue().toString()));
            } catch (PanolmException bad) {
                // A device whose keys do not parse cannot vouch for anything.
            }
        });
        // Our own device is checked against the key we hold, not the copy the server returns.
        devices.put(device.deviceId(), DeviceKeys.fromJson(device.deviceKeys()));
        return BackupAuthDataTrust.check(writeJson(authData), device.userId(), keys, masterTrusted, devices,
                Set.of(device.deviceId()));
    }

    /** A JSON object this class built or received, as a tree for the homeserver client. */
    private ObjectNode tree(String json) {
        return ClientJson.tree(json);
    }

    private String writeJson(Object value) {
        return ClientJson.write(value);
    }
}
