package org.panolm.keystore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.keystore.KeyStoreContents.Uploaded;
import org.panolm.internal.SafeJson;

/**
 * The device's inbound Megolm sessions (and opaque named account state such as an Olm account pickle),
 * kept in memory and persisted to one encrypted file, so that a stolen, logged-out device holds no more
 * than the server does.
 *
 * <p><b>Merging.</b> Every import (from a key file, a restore, or a forwarded key) goes through
 * {@link MergeRule}: a session already held is replaced only by a strictly better copy.
 *
 * <p><b>Incremental backup.</b> The store remembers, per session, which copy is in the current backup
 * version. {@link #pendingBackup} yields only sessions that are new or better than that copy;
 * {@link #markBackedUp} records an upload. Another backup version starts over: everything is pending for
 * it, and marking an upload to it forgets the old version's marks. Sessions restored from a version are
 * recorded as already in it, so a restore is never uploaded back. One upload round:
 * {@snippet :
 * List<RoomKeyRecord> pending = store.pendingBackup(version);
 * RoomKeysBody body = backupPublicKey.encrypt(pending);   // one native call for all of them
 * // PUT /room_keys/keys?version=... with body; then, once the server accepted it:
 * store.markBackedUp(version, pending);
 * store.save();
 * }
 *
 * <p><b>File format</b> (version 1, all integers big-endian):
 * <pre>
 * offset  size  field
 * 0       8     magic "PNLMKEYS"
 * 8       2     format version = 1
 * 10      2     reserved = 0
 * 12      32    salt, fresh random bytes on every write
 * 44      8     N = length of the ciphertext
 * 52      N     AES-256-CTR(aes_key, iv, UTF-8 JSON contents)
 * 52+N    32    HMAC-SHA-256(mac_key, bytes 0 .. 52+N)
 *
 * aes_key (32) | mac_key (32) | iv (16) = HKDF-SHA-256(salt, store key, info = "panolm key store v1", 80)
 *
 * contents: {"backup_version": "...",
 *            "sessions": [{"key": exported room key (with room_id, session_id),
 *                          "first_known_index": n, "verified": b, "forwarded_count": n,
 *                          "backed_up": {"first_known_index", "verified", "forwarded_count"}}],
 *            "account": {"name": "base64 value"}}
 * </pre>
 * The store key is 32 bytes from the caller: derived from a passphrase, or a secret kept in secret
 * storage. A fresh salt per write gives fresh keys, so the counter never repeats under one key. The MAC
 * covers the header too and is checked in constant time before anything is decrypted: a wrong key and a
 * corrupted file both fail with {@code BAD_MAC}. Writes are atomic: a private temporary file in the same
 * directory, fsync, rename over the old file, fsync of the directory; a crash at any point leaves the old
 * or the new file, never a mix.
 *
 * <p>Thread-safe (every method is synchronized). {@link #close()} wipes the store key and forgets the
 * sessions; afterwards every method throws {@link IllegalStateException}.
 */
public final class KeyStore implements AutoCloseable {
    private static final ObjectMapper JSON = SafeJson.mapper();

    private final Path file;
    private byte[] storeKey;
    private final Map<SessionRef, Entry> sessions = new LinkedHashMap<>();
    private final Map<String, byte[]> account = new TreeMap<>();
    private String backupVersion;
    private boolean closed;

    private static final class Entry {
        RoomKeyRecord record;
        Uploaded uploaded;

        Entry(RoomKeyRecord record, Uploaded uploaded) {
            this.record = record;
            this.uploaded = uploaded;
        }
    }

    private KeyStore(Path file, byte[] storeKey) {
        this.file = file;
        this.storeKey = storeKey;
    }

    /**
     * A store that lives only in memory; {@link #save()} is not available.
     *
     * @return an empty store
     */
    public static KeyStore inMemory() {
        return new KeyStore(null, null);
    }

    /**
     * Opens the store in {@code file}, or starts an empty one if the file does not exist yet (it is written
     * on the first {@link #save()}). The key is copied; the caller should wipe its own array.
     *
     * @param file the store's file
     * @param storeKey the 32-byte key the file is encrypted with
     * @return the store
     */
    public static KeyStore open(Path file, byte[] storeKey) {
        Objects.requireNonNull(file, "file");
        if (storeKey == null || storeKey.length != KeyStoreFile.KEY_LENGTH) {
            throw new PanolmException(Status.BAD_KEY, "key store key must be " + KeyStoreFile.KEY_LENGTH + " bytes");
        }
        KeyStore store = new KeyStore(file, storeKey.clone());
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return store;
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot read key store " + file.getFileName(), e);
        }
        try {
            store.load(KeyStoreFile.open(store.storeKey, sealed, "key store " + file.getFileName()));
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void load(byte[] plaintext) {
        try {
            KeyStoreContents contents = JSON.readValue(plaintext, KeyStoreContents.class);
            backupVersion = contents.backupVersion();
            if (contents.sessions() != null) {
                for (KeyStoreContents.Session s : contents.sessions()) {
                    RoomKeyRecord r = new RoomKeyRecord(s.key(), s.firstKnownIndex(), s.verified(), s.forwardedCount());
                    sessions.put(r.ref(), new Entry(r, s.backedUp()));
                }
            }
            if (contents.account() != null) {
                contents.account().forEach((name, value) -> account.put(name, Base64.getDecoder().decode(value)));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new PanolmException(Status.BAD_MESSAGE_FORMAT, "key store " + file.getFileName()
                    + " decrypted but its contents are malformed");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /** Writes the whole store to its file, atomically. */
    public synchronized void save() {
        save(AtomicFile.PLAIN);
    }

    synchronized void save(AtomicFile.Writer writer) {
        open();
        if (file == null) throw new IllegalStateException("an in-memory key store has no file");
        List<KeyStoreContents.Session> list = new ArrayList<>(sessions.size());
        for (Entry e : sessions.values()) {
            RoomKeyRecord r = e.record;
            list.add(new KeyStoreContents.Session(r.key(), r.firstKnownIndex(), r.verified(), r.forwardedCount(),
                    e.uploaded));
        }
        Map<String, String> accountText = new TreeMap<>();
        account.forEach((name, value) -> accountText.put(name, Base64.getEncoder().encodeToString(value)));
        byte[] plaintext = null;
        try {
            plaintext = JSON.writeValueAsBytes(new KeyStoreContents(backupVersion, list, accountText));
            AtomicFile.replace(file, KeyStoreFile.seal(storeKey, plaintext), writer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key store " + file.getFileName()
                    + "; the previous file is unchanged", e);
        } finally {
            if (plaintext != null) Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Imports every record by the merge rule.
     *
     * @param records the sessions to import
     * @return what the import did
     */
    public ImportSummary importKeys(Collection<RoomKeyRecord> records) {
        return importKeys(records, SessionFilter.all());
    }

    /**
     * Imports the records {@code filter} accepts, by the merge rule.
     *
     * @param records the sessions to import
     * @param filter which of them to import
     * @return what the import did
     */
    public synchronized ImportSummary importKeys(Collection<RoomKeyRecord> records, SessionFilter filter) {
        return merge(records, filter, null);
    }

    /**
     * Imports sessions restored from backup version {@code version}: merged as any import, and recorded as
     * already in that version (when it is the store's current one, or the store has none yet), so that they
     * are not uploaded again.
     *
     * @param version the backup version they were restored from
     * @param records the restored sessions
     * @param filter which of them to import
     * @return what the import did
     */
    public synchronized ImportSummary importFromBackup(String version, Collection<RoomKeyRecord> records,
                                                       SessionFilter filter) {
        Objects.requireNonNull(version, "version");
        return merge(records, filter, version);
    }

    private ImportSummary merge(Collection<RoomKeyRecord> records, SessionFilter filter, String fromVersion) {
        open();
        Objects.requireNonNull(filter, "filter");
        boolean markUploaded = fromVersion != null && (backupVersion == null || backupVersion.equals(fromVersion));
        if (markUploaded && backupVersion == null) backupVersion = fromVersion;
        int added = 0, improved = 0, unchanged = 0, filtered = 0;
        for (RoomKeyRecord r : records) {
            SessionRef ref = r.ref();
            if (!filter.accepts(ref)) {
                filtered++;
                continue;
            }
            Entry held = sessions.get(ref);
            if (held == null) {
                sessions.put(ref, new Entry(r, markUploaded ? Uploaded.of(r) : null));
                added++;
            } else {
                if (MergeRule.isBetter(r, held.record)) {
                    held.record = r;
                    improved++;
                } else {
                    unchanged++;
                }
                if (markUploaded && (held.uploaded == null || held.uploaded.worseThan(r))) {
                    held.uploaded = Uploaded.of(r);
                }
            }
        }
        return new ImportSummary(added, improved, unchanged, filtered);
    }

    /**
     * The session {@code ref} names, if held.
     *
     * @param ref the room and session id
     * @return the held copy, or empty
     */
    public synchronized Optional<RoomKeyRecord> get(SessionRef ref) {
        open();
        Entry e = sessions.get(ref);
        return e == null ? Optional.empty() : Optional.of(e.record);
    }

    /**
     * The number of sessions held.
     *
     * @return the number of sessions
     */
    public synchronized int size() {
        open();
        return sessions.size();
    }

    /**
     * The sessions {@code filter} accepts, in the order they were first stored.
     *
     * @param filter which sessions to return
     * @return the sessions, oldest first
     */
    public synchronized List<RoomKeyRecord> export(SessionFilter filter) {
        open();
        List<RoomKeyRecord> out = new ArrayList<>();
        for (var e : sessions.entrySet()) {
            if (filter.accepts(e.getKey())) out.add(e.getValue().record);
        }
        return out;
    }

    /**
     * The backup version the upload marks refer to, if any.
     *
     * @return the version, or empty when nothing was uploaded
     */
    public synchronized Optional<String> backupVersion() {
        open();
        return Optional.ofNullable(backupVersion);
    }

    /**
     * Sessions to upload to backup {@code version}: new ones and ones better than the uploaded copy.
     *
     * @param version the current backup version
     * @return the sessions to upload
     */
    public List<RoomKeyRecord> pendingBackup(String version) {
        return pendingBackup(version, SessionFilter.all(), Integer.MAX_VALUE);
    }

    /**
     * As {@link #pendingBackup(String)}, limited to {@code filter} and to at most {@code limit} sessions.
     *
     * @param version the current backup version
     * @param filter which sessions to consider
     * @param limit the most sessions to return
     * @return the sessions to upload
     */
    public synchronized List<RoomKeyRecord> pendingBackup(String version, SessionFilter filter, int limit) {
        open();
        Objects.requireNonNull(version, "version");
        boolean sameVersion = version.equals(backupVersion);
        List<RoomKeyRecord> out = new ArrayList<>();
        for (var e : sessions.entrySet()) {
            if (out.size() >= limit) break;
            Entry entry = e.getValue();
            if (!filter.accepts(e.getKey())) continue;
            if (!sameVersion || entry.uploaded == null || entry.uploaded.worseThan(entry.record)) {
                out.add(entry.record);
            }
        }
        return out;
    }

    /**
     * Records that {@code uploaded} are now in backup {@code version}. A version other than the current one
     * becomes current and the old version's marks are forgotten. A session improved since the upload stays
     * pending.
     *
     * @param version the backup version
     * @param uploaded the sessions uploaded
     */
    public synchronized void markBackedUp(String version, Collection<RoomKeyRecord> uploaded) {
        open();
        Objects.requireNonNull(version, "version");
        if (!version.equals(backupVersion)) {
            for (Entry e : sessions.values()) e.uploaded = null;
            backupVersion = version;
        }
        for (RoomKeyRecord r : uploaded) {
            Entry e = sessions.get(r.ref());
            if (e != null && (e.uploaded == null || e.uploaded.worseThan(r))) e.uploaded = Uploaded.of(r);
        }
    }

    /**
     * Stores an opaque named value (an Olm account pickle, sync tokens); persisted with the sessions.
     *
     * @param name the value's name
     * @param value the value; copied
     */
    public synchronized void putAccountState(String name, byte[] value) {
        open();
        Objects.requireNonNull(name, "name");
        byte[] old = account.put(name, value.clone());
        if (old != null) Arrays.fill(old, (byte) 0);
    }

    /**
     * A value stored by {@link #putAccountState(String, byte[])}.
     *
     * @param name the value's name
     * @return a copy of the value (the caller wipes it), or empty
     */
    public synchronized Optional<byte[]> accountState(String name) {
        open();
        byte[] v = account.get(name);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    /** Wipes the store key and the account state and forgets the sessions. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (storeKey != null) Arrays.fill(storeKey, (byte) 0);
        storeKey = null;
        account.values().forEach(v -> Arrays.fill(v, (byte) 0));
        account.clear();
        sessions.clear();
    }

    @Override
    public synchronized String toString() {
        return "KeyStore[" + (file == null ? "in memory" : file.getFileName()) + ", "
                + (closed ? "closed" : sessions.size() + " sessions, backup version " + backupVersion) + "]";
    }

    private void open() {
        if (closed) throw new IllegalStateException("key store is closed");
    }
}
