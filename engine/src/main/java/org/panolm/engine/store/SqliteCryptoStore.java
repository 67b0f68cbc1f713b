package org.panolm.engine.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.store.StoreException.Reason;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.MergeRule;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;
import org.panolm.subtle.SecureRandomBytes;

/**
 * The default {@link CryptoStore}: one SQLite file (xerial sqlite-jdbc), in WAL mode with full synchronous
 * commits, so a committed transaction survives a crash of the process or the machine.
 *
 * <p>Every row is a sealed value under an opaque lookup key ({@link StoreCipher}): the file holds no secret and no
 * room, user or device id in the clear. A {@code meta} table holds the schema version, the passphrase salt and
 * rounds, and a sealed check value that tells a wrong key apart from a damaged row.
 *
 * <p>One process at a time: opening takes an exclusive lock on {@code <file>.lock}, and a second opener (another
 * process, or a second store in this one) gets {@link StoreException.Reason#LOCKED}. Schema versions migrate
 * forward on open; a store from a newer panolm is refused ({@link StoreException.Reason#NEWER_SCHEMA}).
 */
public final class SqliteCryptoStore implements CryptoStore {
    /** The schema this code writes. */
    public static final int SCHEMA_VERSION = 3;

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final byte[] KEY_CHECK = "panolm engine store".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_GROUP = new byte[0];

    /** The tables of sealed rows: {@code g} groups rows (a room's session, a user's devices), {@code k} names one. */
    enum Table {
        NAMED_VALUES, OLM_SESSIONS, ROOM_KEYS, OUTBOUND_GROUP_SESSIONS, DEVICES, IDENTITIES, TRACKED_USERS,
        PROCESSED_TO_DEVICE, PENDING_REQUESTS;

        String sql() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The lock files this JVM holds. Checked before the file is touched: a POSIX lock belongs to the process, and
     * closing any channel on the file, even a failed second opener's, would release it.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Path heldLock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection db;
    private final StoreCipher cipher;
    private final ReentrantLock guard = new ReentrantLock();
    private final Transaction tx = new Transaction();
    private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();
    /**
     * The tracked users as committed plus this transaction's changes, or null until first read: the engine asks
     * for the whole list on every share and every outgoingRequests, and opening 10,000 rows each time was a tenth
     * of a large share. Dropped on rollback (the next read goes to the file).
     */
    private @Nullable Map<String, Boolean> trackedCache;
    /**
     * Each user's device rows as committed plus this transaction's changes, opened once: a share reads every
     * member's devices, and opening and parsing them again on each share was a fifth of a 10,000-device share.
     * Public keys only (nothing secret is held in the clear here); a user's entry goes when one of their rows is
     * written, all of them on rollback. Bounded: the least recently read users go first.
     */
    private final Map<String, List<DeviceRecord>> deviceCache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<DeviceRecord>> eldest) {
            return size() > DEVICE_CACHE_USERS;
        }
    };
    private static final int DEVICE_CACHE_USERS = 100_000;
    private boolean closed;

    private SqliteCryptoStore(Path path, Path heldLock, FileChannel lockChannel, FileLock lock, Connection db,
                              StoreCipher cipher) {
        this.path = path;
        this.heldLock = heldLock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.db = db;
        this.cipher = cipher;
    }

    /**
     * Opens the store at {@code file}, creating it (readable by its owner only) when it does not exist.
     *
     * @param file the database file
     * @param key the store key; a new store remembers whether it was a raw key or a passphrase
     * @return the open store
     * @throws StoreException {@code LOCKED} when another process holds it, {@code WRONG_KEY}, {@code NEWER_SCHEMA},
     *                        {@code IO}
     */
    public static SqliteCryptoStore open(Path file, StoreKey key) {
        Path lockFile = file.toAbsolutePath().normalize().resolveSibling(file.getFileName() + ".lock");
        if (!HELD.add(lockFile)) {
            throw new StoreException(Reason.LOCKED, "the store " + file.getFileName() + " is already open in this process");
        }
        FileChannel channel = null;
        FileLock lock = null;
        Connection db = null;
        try {
            createPrivate(lockFile);
            createPrivate(file);
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new StoreException(Reason.LOCKED, "the store " + file.getFileName() + " is open in another process");
            }
            // Nothing here reads generated keys; left on, the driver runs a second query after every insert.
            java.util.Properties options = new java.util.Properties();
            options.setProperty("jdbc.get_generated_keys", "false");
            db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), options);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA secure_delete=ON");
                s.execute("PRAGMA cache_size=-16384"); // 16 MB of pages: room-key lookups land at random places
            }
            db.setAutoCommit(false);
            StoreCipher cipher = unlock(db, key, file);
            return new SqliteCryptoStore(file, lockFile, channel, lock, db, cipher);
        } catch (StoreException e) {
            closeQuietly(db, lock, channel);
            HELD.remove(lockFile);
            throw e;
        } catch (SQLException | IOException e) {
            closeQuietly(db, lock, channel);
            HELD.remove(lockFile);
            throw new StoreException(Reason.IO, "opening the store " + file.getFileName(), e);
        } catch (RuntimeException e) {
            closeQuietly(db, lock, channel);
            HELD.remove(lockFile);
            throw e;
        }
    }

    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // opened again
        } catch (UnsupportedOperationException e) {
            if (!Files.exists(file)) Files.createFile(file);
        }
    }

    private static void closeQuietly(Connection db, FileLock lock, FileChannel channel) {
        try {
            if (db != null) db.close();
        } catch (SQLException ignored) {
            // already failing
        }
        try {
            if (lock != null) lock.release();
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    /** Creates or checks the schema and the key; migrates forward. */
    private static StoreCipher unlock(Connection db, StoreKey key, Path file) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)");
        }
        Map<String, byte[]> meta = new LinkedHashMap<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT name, value FROM meta")) {
            while (rs.next()) meta.put(rs.getString(1), rs.getBytes(2));
        }
        if (!meta.containsKey("schema_version")) {
            byte[] salt = SecureRandomBytes.next(16);
            int rounds = StoreKey.DEFAULT_ROUNDS;
            byte[] derived = key.derive(salt, rounds);
            StoreCipher cipher = new StoreCipher(derived);
            Arrays.fill(derived, (byte) 0);
            putMeta(db, "kdf", (key.isPassphrase() ? "pbkdf2-sha512:" + rounds : "raw").getBytes(StandardCharsets.US_ASCII));
            putMeta(db, "salt", salt);
            putMeta(db, "key_check", cipher.seal("meta", cipher.index("key_check"), KEY_CHECK));
            migrate(db, 0);
            putMeta(db, "schema_version", Integer.toString(SCHEMA_VERSION).getBytes(StandardCharsets.US_ASCII));
            db.commit();
            return cipher;
        }
        int version = Integer.parseInt(new String(meta.get("schema_version"), StandardCharsets.US_ASCII));
        if (version > SCHEMA_VERSION) {
            throw new StoreException(Reason.NEWER_SCHEMA, "the store " + file.getFileName() + " has schema version "
                    + version + "; this panolm knows up to " + SCHEMA_VERSION);
        }
        String kdf = new String(meta.get("kdf"), StandardCharsets.US_ASCII);
        boolean passphrase = kdf.startsWith("pbkdf2-sha512:");
        if (passphrase != key.isPassphrase()) {
            throw new StoreException(Reason.WRONG_KEY, "the store " + file.getFileName() + " is protected by "
                    + (passphrase ? "a passphrase" : "a raw key") + ", and " + key + " was given");
        }
        int rounds = passphrase ? Integer.parseInt(kdf.substring(kdf.indexOf(':') + 1)) : 0;
        byte[] derived = key.derive(meta.get("salt"), rounds);
        StoreCipher cipher = new StoreCipher(derived);
        Arrays.fill(derived, (byte) 0);
        try {
            byte[] check = cipher.open("meta", cipher.index("key_check"), meta.get("key_check"));
            if (!Arrays.equals(check, KEY_CHECK)) throw new StoreException(Reason.WRONG_KEY, "key check");
        } catch (StoreException e) {
            cipher.close();
            throw new StoreException(Reason.WRONG_KEY, "the key does not open the store " + file.getFileName());
        }
        if (version < SCHEMA_VERSION) {
            migrate(db, version);
            putMeta(db, "schema_version", Integer.toString(SCHEMA_VERSION).getBytes(StandardCharsets.US_ASCII));
            db.commit();
        }
        return cipher;
    }

    /** Brings the schema from {@code from} to {@link #SCHEMA_VERSION}, one step per version. */
    private static void migrate(Connection db, int from) throws SQLException {
        try (Statement s = db.createStatement()) {
            if (from < 1) {
                for (Table t : Table.values()) {
                    s.execute("CREATE TABLE " + t.sql()
                            + " (g BLOB NOT NULL, k BLOB NOT NULL, v BLOB NOT NULL, PRIMARY KEY (g, k))");
                }
            }
            if (from < 2) {
                // Which room-key rows are in which backup version: opaque ids only (the version's lookup key and
                // the row's g and k), so the marks leak nothing the rows do not.
                s.execute("CREATE TABLE backup_marks (ver BLOB NOT NULL, g BLOB NOT NULL, k BLOB NOT NULL,"
                        + " PRIMARY KEY (ver, g, k))");
            }
            if (from < 3) {
                // Sessions and rooms under panolm's do-not-store flag (DoNotStore): the row's g for a session, a
                // room's own lookup key for a room. Rows are only ever added: a flag cannot be cleared.
                s.execute("CREATE TABLE do_not_store (g BLOB NOT NULL PRIMARY KEY)");
            }
            // A version 4 adds its step here: if (from < 4) { ... }
        }
    }

    private static void putMeta(Connection db, String name, byte[] value) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)")) {
            p.setString(1, name);
            p.setBytes(2, value);
            p.executeUpdate();
        }
    }

    @Override
    public <T extends @Nullable Object> T transaction(Function<StoreTransaction, T> work) {
        guard.lock();
        try {
            if (closed) throw new StoreException(Reason.CLOSED, "the store " + path.getFileName() + " is closed");
            if (guard.getHoldCount() > 1) {
                return work.apply(tx); // joins the outer transaction
            }
            try {
                T result = work.apply(tx);
                db.commit();
                return result;
            } catch (SQLException e) {
                rollback();
                throw new StoreException(Reason.IO, "committing a transaction", e);
            } catch (RuntimeException | Error e) {
                rollback();
                throw e;
            }
        } finally {
            guard.unlock();
        }
    }

    private void rollback() {
        trackedCache = null;
        deviceCache.clear();
        try {
            db.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one to report
        }
    }

    @Override
    public void close() {
        guard.lock();
        try {
            if (closed) return;
            closed = true;
            rollback();
            cipher.close();
            for (PreparedStatement p : statements.values()) {
                try {
                    p.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            closeQuietly(db, lock, lockChannel);
            HELD.remove(heldLock);
        } finally {
            guard.unlock();
        }
    }

    // --- rows -------------------------------------------------------------------------------------------------

    private byte @Nullable [] get(Table t, byte[] g, byte[] k) {
        try {
            PreparedStatement p = statement("SELECT v FROM " + t.sql() + " WHERE g = ? AND k = ?");
            p.setBytes(1, g);
            p.setBytes(2, k);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? cipher.open(t.sql(), concat(g, k), rs.getBytes(1)) : null;
            }
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "reading " + t.sql(), e);
        }
    }

    private List<byte[]> group(Table t, byte[] g) {
        List<byte[]> out = new ArrayList<>();
        try {
            PreparedStatement p = statement("SELECT k, v FROM " + t.sql() + " WHERE g = ? ORDER BY rowid");
            p.setBytes(1, g);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(cipher.open(t.sql(), concat(g, rs.getBytes(1)), rs.getBytes(2)));
            }
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "reading " + t.sql(), e);
        }
        return out;
    }

    private void put(Table t, byte[] g, byte[] k, byte[] value) {
        byte[] sealed = cipher.seal(t.sql(), concat(g, k), value);
        try {
            PreparedStatement p = statement("INSERT OR REPLACE INTO " + t.sql() + " (g, k, v) VALUES (?, ?, ?)");
            p.setBytes(1, g);
            p.setBytes(2, k);
            p.setBytes(3, sealed);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "writing " + t.sql(), e);
        }
    }

    private boolean insertIfAbsent(Table t, byte[] g, byte[] k, byte[] value) {
        byte[] sealed = cipher.seal(t.sql(), concat(g, k), value);
        try {
            PreparedStatement p = statement("INSERT OR IGNORE INTO " + t.sql() + " (g, k, v) VALUES (?, ?, ?)");
            p.setBytes(1, g);
            p.setBytes(2, k);
            p.setBytes(3, sealed);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "writing " + t.sql(), e);
        }
    }

    private boolean delete(Table t, byte[] g, byte[] k) {
        try {
            PreparedStatement p = statement("DELETE FROM " + t.sql() + " WHERE g = ? AND k = ?");
            p.setBytes(1, g);
            p.setBytes(2, k);
            return p.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "deleting from " + t.sql(), e);
        }
    }

    /** A prepared statement, made once per SQL text: preparing dominated the cost of small reads and writes. */
    private PreparedStatement statement(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = db.prepareStatement(sql);
            statements.put(sql, p);
        }
        return p;
    }

    private static byte[] concat(byte[] g, byte[] k) {
        byte[] out = new byte[g.length + 1 + k.length];
        System.arraycopy(g, 0, out, 0, g.length);
        out[g.length] = (byte) g.length;
        System.arraycopy(k, 0, out, g.length + 1, k.length);
        return out;
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("serialising a " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(Table t, byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new StoreException(Reason.CORRUPT, "a row of " + t.sql() + " is not a " + type.getSimpleName());
        }
    }

    /** The lookup key of a backup version in {@code backup_marks}: the server's text never lands in the file. */
    private byte[] versionIndex(String version) {
        return cipher.index("backup version", java.util.Objects.requireNonNull(version, "version"));
    }

    private void unmark(byte[] g, byte[] k) {
        try {
            PreparedStatement p = statement("DELETE FROM backup_marks WHERE g = ? AND k = ?");
            p.setBytes(1, g);
            p.setBytes(2, k);
            p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "deleting from backup_marks", e);
        }
    }

    /** The lookup key of a room in {@code do_not_store}; a session's is its room_keys group. */
    private byte[] roomFlagIndex(String roomId) {
        return cipher.index("do_not_store room", java.util.Objects.requireNonNull(roomId, "roomId"));
    }

    private boolean flagged(byte[] g) {
        try {
            PreparedStatement p = statement("SELECT 1 FROM do_not_store WHERE g = ?");
            p.setBytes(1, g);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "reading do_not_store", e);
        }
    }

    private boolean flag(byte[] g) {
        try {
            PreparedStatement p = statement("INSERT OR IGNORE INTO do_not_store (g) VALUES (?)");
            p.setBytes(1, g);
            return p.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException(Reason.IO, "writing do_not_store", e);
        }
    }

    /** A room key as a row holds it. */
    record StoredRoomKey(@JsonProperty("key") ExportedRoomKey key, @JsonProperty("provenance") KeyProvenance provenance,
                         @JsonProperty("forwarded_count") long forwardedCount) {
        static StoredRoomKey of(RoomKeyRecord r) {
            return new StoredRoomKey(r.key(), r.provenance(), r.forwardedCount());
        }

        RoomKeyRecord record() {
            return RoomKeyRecord.of(key, provenance, forwardedCount);
        }
    }

    /** A tracked user as a row holds it. */
    record TrackedUser(@JsonProperty("user_id") String userId, @JsonProperty("outdated") boolean outdated) {}

    private final class Transaction implements StoreTransaction {
        @Override
        public Optional<byte[]> value(String name) {
            return Optional.ofNullable(get(Table.NAMED_VALUES, NO_GROUP, cipher.index(name)));
        }

        @Override
        public void putValue(String name, byte[] value) {
            put(Table.NAMED_VALUES, NO_GROUP, cipher.index(name), value);
        }

        @Override
        public List<OlmSessionRecord> olmSessions(String senderKey) {
            List<OlmSessionRecord> out = new ArrayList<>();
            for (byte[] b : group(Table.OLM_SESSIONS, cipher.index(senderKey))) {
                out.add(read(Table.OLM_SESSIONS, b, OlmSessionRecord.class));
            }
            out.sort((a, b) -> Long.compare(b.lastUsedMillis(), a.lastUsedMillis()));
            return out;
        }

        @Override
        public void putOlmSession(OlmSessionRecord session) {
            put(Table.OLM_SESSIONS, cipher.index(session.senderKey()), cipher.index(session.sessionId()), write(session));
        }

        @Override
        public RoomKeyAdded addRoomKey(RoomKeyRecord key) {
            byte[] g = cipher.index(key.roomId(), key.sessionId());
            if (flagged(roomFlagIndex(key.roomId()))) flag(g);
            try {
            PreparedStatement p = statement("SELECT k, v FROM room_keys WHERE g = ?");
                p.setBytes(1, g);
                List<byte[]> ids = new ArrayList<>();
                List<RoomKeyRecord> held = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] k = rs.getBytes(1);
                        ids.add(k);
                        held.add(read(Table.ROOM_KEYS, cipher.open("room_keys", concat(g, k), rs.getBytes(2)),
                                StoredRoomKey.class).record());
                    }
                }
                for (int i = 0; i < held.size(); i++) {
                    if (MergeRule.sameSession(held.get(i), key)) {
                        RoomKeyRecord merged = MergeRule.mergeConnected(held.get(i), key);
                        if (merged == held.get(i)) return RoomKeyAdded.UNCHANGED;
                        put(Table.ROOM_KEYS, g, ids.get(i), write(StoredRoomKey.of(merged)));
                        unmark(g, ids.get(i)); // the better copy is in no backup yet
                        return RoomKeyAdded.IMPROVED;
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "reading room_keys", e);
            }
            put(Table.ROOM_KEYS, g, SecureRandomBytes.next(16), write(StoredRoomKey.of(key)));
            return RoomKeyAdded.NEW;
        }

        @Override
        public List<RoomKeyRecord> roomKeys(String roomId, String sessionId) {
            List<RoomKeyRecord> out = new ArrayList<>();
            for (byte[] b : group(Table.ROOM_KEYS, cipher.index(roomId, sessionId))) {
                out.add(read(Table.ROOM_KEYS, b, StoredRoomKey.class).record());
            }
            out.sort(MergeRule.BETTER_FIRST);
            return out;
        }

        @Override
        public void forEachRoomKey(Consumer<RoomKeyRecord> sink) {
            try {
            PreparedStatement p = statement("SELECT g, k, v FROM room_keys");
                p.setFetchSize(256);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] b = cipher.open("room_keys", concat(rs.getBytes(1), rs.getBytes(2)), rs.getBytes(3));
                        sink.accept(read(Table.ROOM_KEYS, b, StoredRoomKey.class).record());
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "reading room_keys", e);
            }
        }

        @Override
        public List<PendingBackupKey> notBackedUp(String version, long after, int max) {
            if (max < 1) throw new IllegalArgumentException("max must be at least 1");
            List<PendingBackupKey> out = new ArrayList<>();
            try {
                PreparedStatement p = statement("SELECT r.rowid, r.g, r.k, r.v FROM room_keys r WHERE r.rowid > ?"
                        + " AND NOT EXISTS (SELECT 1 FROM backup_marks m WHERE m.ver = ? AND m.g = r.g AND m.k = r.k)"
                        + " AND NOT EXISTS (SELECT 1 FROM do_not_store d WHERE d.g = r.g)"
                        + " ORDER BY r.rowid LIMIT ?");
                p.setLong(1, after);
                p.setBytes(2, versionIndex(version));
                p.setInt(3, max);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        byte[] b = cipher.open("room_keys", concat(rs.getBytes(2), rs.getBytes(3)), rs.getBytes(4));
                        out.add(new PendingBackupKey(rs.getLong(1), read(Table.ROOM_KEYS, b, StoredRoomKey.class).record()));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "reading room_keys", e);
            }
            return out;
        }

        @Override
        public int markBackedUp(String version, java.util.Collection<RoomKeyRecord> uploaded) {
            byte[] ver = versionIndex(version);
            int marked = 0;
            try {
                PreparedStatement read = statement("SELECT k, v FROM room_keys WHERE g = ?");
                PreparedStatement mark = statement("INSERT OR IGNORE INTO backup_marks (ver, g, k) VALUES (?, ?, ?)");
                for (RoomKeyRecord r : uploaded) {
                    byte[] g = cipher.index(r.roomId(), r.sessionId());
                    read.setBytes(1, g);
                    List<byte[]> rows = new ArrayList<>();
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            byte[] k = rs.getBytes(1);
                            RoomKeyRecord held = read(Table.ROOM_KEYS,
                                    cipher.open("room_keys", concat(g, k), rs.getBytes(2)), StoredRoomKey.class).record();
                            // Only the copy that was sent: one improved since stays pending.
                            if (held.firstKnownIndex() == r.firstKnownIndex()
                                    && held.forwardedCount() == r.forwardedCount()
                                    && MergeRule.sameSession(held, r)) {
                                rows.add(k);
                            }
                        }
                    }
                    for (byte[] k : rows) {
                        mark.setBytes(1, ver);
                        mark.setBytes(2, g);
                        mark.setBytes(3, k);
                        marked += mark.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "writing backup_marks", e);
            }
            return marked;
        }

        @Override
        public void forgetBackupVersion(String version) {
            try {
                PreparedStatement p = statement("DELETE FROM backup_marks WHERE ver = ?");
                p.setBytes(1, versionIndex(version));
                p.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "deleting from backup_marks", e);
            }
        }

        @Override
        public boolean markDoNotStore(String roomId, String sessionId) {
            return flag(cipher.index(roomId, sessionId));
        }

        @Override
        public boolean doNotStore(String roomId, String sessionId) {
            return flagged(roomFlagIndex(roomId)) || flagged(cipher.index(roomId, sessionId));
        }

        @Override
        public boolean markRoomDoNotStore(String roomId) {
            if (!flag(roomFlagIndex(roomId))) return false;
            // The room's sessions already held are flagged too: their groups are opaque, so every row is opened.
            forEachRoomKey(r -> {
                if (r.roomId().equals(roomId)) flag(cipher.index(roomId, r.sessionId()));
            });
            return true;
        }

        @Override
        public boolean roomDoNotStore(String roomId) {
            return flagged(roomFlagIndex(roomId));
        }

        @Override
        public long roomKeyCount() {
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM room_keys")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new StoreException(Reason.IO, "counting room_keys", e);
            }
        }

        @Override
        public Optional<OutboundGroupSessionRecord> outboundGroupSession(String roomId) {
            byte[] b = get(Table.OUTBOUND_GROUP_SESSIONS, NO_GROUP, cipher.index(roomId));
            return Optional.ofNullable(b).map(v -> read(Table.OUTBOUND_GROUP_SESSIONS, v, OutboundGroupSessionRecord.class));
        }

        @Override
        public void putOutboundGroupSession(OutboundGroupSessionRecord session) {
            put(Table.OUTBOUND_GROUP_SESSIONS, NO_GROUP, cipher.index(session.roomId()), write(session));
        }

        @Override
        public void removeOutboundGroupSession(String roomId) {
            delete(Table.OUTBOUND_GROUP_SESSIONS, NO_GROUP, cipher.index(roomId));
        }

        @Override
        public List<DeviceRecord> devices(String userId) {
            List<DeviceRecord> cached = deviceCache.get(userId);
            if (cached != null) return new ArrayList<>(cached);
            List<DeviceRecord> out = new ArrayList<>();
            for (byte[] b : group(Table.DEVICES, cipher.index(userId))) {
                out.add(read(Table.DEVICES, b, DeviceRecord.class));
            }
            deviceCache.put(userId, List.copyOf(out));
            return out;
        }

        @Override
        public void putDevice(DeviceRecord device) {
            put(Table.DEVICES, cipher.index(device.userId()), cipher.index(device.deviceId()), write(device));
            deviceCache.remove(device.userId()); // after the write: the next read sees the row as the file has it
        }

        @Override
        public Optional<IdentityRecord> identity(String userId) {
            byte[] b = get(Table.IDENTITIES, NO_GROUP, cipher.index(userId));
            return Optional.ofNullable(b).map(v -> read(Table.IDENTITIES, v, IdentityRecord.class));
        }

        @Override
        public void putIdentity(IdentityRecord identity) {
            put(Table.IDENTITIES, NO_GROUP, cipher.index(identity.userId()), write(identity));
        }

        @Override
        public Map<String, Boolean> trackedUsers() {
            if (trackedCache == null) {
                Map<String, Boolean> read = new LinkedHashMap<>();
                for (byte[] b : group(Table.TRACKED_USERS, NO_GROUP)) {
                    TrackedUser u = read(Table.TRACKED_USERS, b, TrackedUser.class);
                    read.put(u.userId(), u.outdated());
                }
                trackedCache = read;
            }
            return new LinkedHashMap<>(trackedCache);
        }

        @Override
        public void putTrackedUser(String userId, boolean outdated) {
            put(Table.TRACKED_USERS, NO_GROUP, cipher.index(userId), write(new TrackedUser(userId, outdated)));
            // After the write: a failed write leaves the cache as the file is (and the rollback drops it anyway).
            // Removed first: REPLACE gives the row a new rowid, so it moves to the end as in the file.
            if (trackedCache != null) {
                trackedCache.remove(userId);
                trackedCache.put(userId, outdated);
            }
        }

        @Override
        public boolean markToDeviceProcessed(String messageKey) {
            return insertIfAbsent(Table.PROCESSED_TO_DEVICE, NO_GROUP, cipher.index(messageKey), new byte[0]);
        }

        @Override
        public List<PendingRequest> pendingRequests() {
            List<PendingRequest> out = new ArrayList<>();
            for (byte[] b : group(Table.PENDING_REQUESTS, NO_GROUP)) {
                out.add(read(Table.PENDING_REQUESTS, b, PendingRequest.class));
            }
            return out;
        }

        @Override
        public void putPendingRequest(PendingRequest request) {
            put(Table.PENDING_REQUESTS, NO_GROUP, cipher.index(request.id()), write(request));
        }

        @Override
        public boolean removePendingRequest(String id) {
            return delete(Table.PENDING_REQUESTS, NO_GROUP, cipher.index(id));
        }
    }

    @Override
    public String toString() {
        return "SqliteCryptoStore[" + path.getFileName() + (closed ? ", closed" : "") + "]";
    }
}
