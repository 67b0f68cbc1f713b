package org.panolm.cli.online;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.cli.CliException;
import org.panolm.cli.Errors;
import org.panolm.cli.Json;
import org.panolm.client.AccessToken;
import org.panolm.client.Credentials;
import org.panolm.client.HomeserverClient;
import org.panolm.client.backup.RestoreTarget;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.UploadJournal;
import org.panolm.client.device.OwnDevice;
import org.panolm.client.sync.SyncLoop;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.store.CryptoStore;
import org.panolm.engine.store.PendingBackupKey;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.SessionFilter;
import org.panolm.keystore.RoomKeyRecord;

/**
 * A device logged in from this machine. Its directory holds {@code session.json} (the homeserver, user and device
 * ids: nothing secret) and the engine's encrypted store, in which the access token is kept sealed beside the keys.
 */
final class DeviceSession implements AutoCloseable {
    static final String SESSION_FILE = "session.json";
    static final String STORE_FILE = "device.db";
    /** The engine secret under which the backup decryption key is kept (the name secret storage uses). */
    static final String BACKUP_KEY_SECRET = "m.megolm_backup.v1";
    private static final String ACCESS_TOKEN = "cli.access_token";
    private static final String JOURNAL_DIR = "backup-journal";
    private static final int IMPORT_BATCH = 1000;

    private final Path dir;
    private final HomeserverClient client;
    private final SqliteCryptoStore store;
    private final OlmMachine engine;

    private DeviceSession(Path dir, HomeserverClient client, SqliteCryptoStore store, OlmMachine engine) {
        this.dir = dir;
        this.client = client;
        this.store = store;
        this.engine = engine;
    }

    /** A client of {@code homeserver} with the timeouts the commands use. */
    static HomeserverClient client(URI homeserver, Credentials credentials) {
        try {
            return HomeserverClient.builder(homeserver).requestTimeout(Duration.ofSeconds(60))
                    .credentials(credentials).build();
        } catch (IllegalArgumentException e) {
            throw new CliException("--homeserver " + homeserver + " is not an http(s)://host[:port] URL");
        }
    }

    /** Refuses a directory that already holds a device. */
    static void checkFree(Path dir) {
        if (Files.exists(dir.resolve(SESSION_FILE)) || Files.exists(dir.resolve(STORE_FILE))) {
            throw new CliException(dir + " already holds a device: panolm logout first, or give another --store");
        }
    }

    /**
     * Creates the store of a device that just logged in: the engine's account, the sealed access token, then
     * {@code session.json} (written last, so a directory without it holds no usable device).
     */
    static DeviceSession create(Path dir, HomeserverClient client, char[] passphrase) {
        checkFree(dir);
        Credentials me = client.requireCredentials();
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new CliException("cannot create --store " + dir + ": " + Errors.describe(e));
        }
        SqliteCryptoStore store = SqliteCryptoStore.open(dir.resolve(STORE_FILE), StoreKey.passphrase(passphrase));
        OlmMachine engine = null;
        try {
            engine = OlmMachine.open(me.userId(), me.deviceId(), store);
            byte[] token = me.accessToken().revealForStorage().getBytes(StandardCharsets.UTF_8);
            try {
                store.transaction(tx -> {
                    tx.putValue(ACCESS_TOKEN, token);
                    return null;
                });
            } finally {
                Arrays.fill(token, (byte) 0);
            }
            ObjectNode session = Json.MAPPER.createObjectNode().put("homeserver", client.baseUrl().toString())
                    .put("user_id", me.userId()).put("device_id", me.deviceId());
            writeOwnerOnly(dir.resolve(SESSION_FILE), Json.MAPPER.writeValueAsBytes(session));
            return new DeviceSession(dir, client, store, engine);
        } catch (IOException | RuntimeException e) {
            if (engine != null) engine.close();
            store.close();
            if (e instanceof IOException io) throw new CliException("cannot write " + dir + ": " + Errors.describe(io));
            throw (RuntimeException) e;
        }
    }

    /** Opens the device in {@code dir} with its stored login. */
    static DeviceSession open(Path dir, char[] passphrase) {
        Path file = dir.resolve(SESSION_FILE);
        JsonNode session;
        try {
            session = Json.STRICT_READER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CliException(Files.exists(file) ? "cannot read " + file + ": " + Errors.describe(e)
                    : dir + " holds no device (no " + SESSION_FILE + "): run panolm login first");
        }
        String homeserver = text(session, "homeserver", file);
        String userId = text(session, "user_id", file);
        String deviceId = text(session, "device_id", file);
        SqliteCryptoStore store = DeviceStoreKeys.openStore(dir, passphrase); // wiped there, once used
        try {
            OlmMachine engine = OlmMachine.open(userId, deviceId, store);
            Optional<byte[]> token = store.transaction(tx -> tx.value(ACCESS_TOKEN));
            if (token.isEmpty() || token.get().length == 0) {
                engine.close();
                throw new CliException("the device " + deviceId + " in " + dir + " is logged out");
            }
            String t = new String(token.get(), StandardCharsets.UTF_8);
            Arrays.fill(token.get(), (byte) 0);
            HomeserverClient client = client(URI.create(homeserver), new Credentials(userId, deviceId, AccessToken.of(t)));
            return new DeviceSession(dir, client, store, engine);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static String text(JsonNode session, String field, Path file) {
        JsonNode v = session.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new CliException(file + ": " + field + " is missing or not a string");
        }
        return v.textValue();
    }

    private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".session-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    Path dir() {
        return dir;
    }

    HomeserverClient client() {
        return client;
    }

    OlmMachine engine() {
        return engine;
    }

    /** The engine's device, for what Secure Backup signs. */
    OwnDevice ownDevice() {
        return new OwnDevice(engine.userId(), engine.deviceId(), engine.identityKeys().curve25519Base64(),
                engine.identityKeys().ed25519Base64(), engine::signJson);
    }

    SecureBackup backup() {
        return new SecureBackup(client, ownDevice());
    }

    /**
     * Moves the upload journal an older panolm kept beside the store into the store's own marks (once; the file is
     * deleted after).
     */
    void adoptJournal(String version) {
        Path journal = dir.resolve(JOURNAL_DIR);
        if (Files.isDirectory(journal)) UploadJournal.in(journal).moveInto(store, version);
    }

    /** How many room keys backup {@code version} does not hold yet, counted a page at a time. */
    long pendingBackupCount(String version) {
        long n = 0, after = 0;
        while (true) {
            long from = after;
            List<PendingBackupKey> page = store.transaction(tx -> tx.notBackedUp(version, from, IMPORT_BATCH));
            if (page.isEmpty()) return n;
            n += page.size();
            after = page.getLast().position();
        }
    }

    /** The engine's store (room keys, upload marks). */
    CryptoStore store() {
        return store;
    }

    /** A sync loop of this device. */
    SyncLoop syncLoop(Duration pollTimeout) {
        return new SyncLoop(client, engine, pollTimeout, null);
    }

    /**
     * Adds room keys restored from backup {@code version} to the engine's store and marks them as in it, in one
     * transaction.
     */
    long addRestoredRoomKeys(String version, List<RoomKeyRecord> keys) {
        ImportSummary s = RestoreTarget.of(store).importFromBackup(version, keys, SessionFilter.all());
        return s.added() + s.improved();
    }

    /** Forgets the access token (after logout); the keys stay. */
    void forgetLogin() {
        store.transaction(tx -> {
            tx.putValue(ACCESS_TOKEN, new byte[0]);
            return null;
        });
    }

    @Override
    public void close() {
        engine.close();
        store.close();
        client.close();
    }
}
