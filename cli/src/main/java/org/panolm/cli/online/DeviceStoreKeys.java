package org.panolm.cli.online;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.panolm.PanolmException;
import org.panolm.cli.CliException;
import org.panolm.cli.keys.KeyRing;
import org.panolm.cli.keys.KeySink;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.ImportSummary;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.megolm.KeyProvenance;

/**
 * The room keys of a device's store, opened without its login: what the offline commands read and write, so a
 * key file is an import and export format of the store rather than a second home for keys. A logged-out device
 * kept with {@code --keep-store} opens too.
 */
public final class DeviceStoreKeys implements AutoCloseable {
    /** Keys added per transaction on import: memory stays bounded by it, whatever the file holds. */
    private static final int BATCH = 1000;

    private final Path dir;
    private final SqliteCryptoStore store;

    private DeviceStoreKeys(Path dir, SqliteCryptoStore store) {
        this.dir = dir;
        this.store = store;
    }

    /**
     * Opens the store of the device in {@code dir}, unlocked with its passphrase (read once and wiped).
     *
     * @param device where the store is and where its passphrase comes from
     * @return the open store; the caller closes it
     * @throws CliException when there is no device there or the passphrase is wrong
     */
    public static DeviceStoreKeys open(DeviceOptions device) {
        Path dir = device.directory(null);
        SqliteCryptoStore store = openStore(dir, device.passphrase(dir));
        return new DeviceStoreKeys(dir, store);
    }

    /** The store of the device in {@code dir}; the passphrase is wiped here. */
    static SqliteCryptoStore openStore(Path dir, char[] passphrase) {
        try {
            Path file = dir.resolve(DeviceSession.STORE_FILE);
            if (!Files.isRegularFile(file)) {
                throw new CliException(dir + " holds no device store (no " + DeviceSession.STORE_FILE
                        + "): run panolm login first, or give --store DIR");
            }
            return SqliteCryptoStore.open(file, StoreKey.passphrase(passphrase));
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    /** @return the device's directory */
    public Path directory() {
        return dir;
    }

    /** @return how many room keys the store holds */
    public long count() {
        return store.transaction(tx -> tx.roomKeyCount());
    }

    /**
     * What an import did.
     *
     * @param rejectedExamples the first few rejected keys, each with why (no key material)
     */
    public record Imported(long added, long improved, long unchanged, long rejected, List<String> rejectedExamples) {
        /** @return every key the store took */
        public long taken() {
            return added + improved + unchanged;
        }
    }

    /**
     * A sink that adds keys to the store a batch at a time, each with the provenance its source gave (never
     * better): a held copy that is better is kept, as the store's merge rule orders. A key that cannot be used is
     * counted with its reason and the rest go on.
     */
    public final class Importer implements KeySink, AutoCloseable {
        private final List<RoomKeyRecord> pending = new ArrayList<>(BATCH);
        private final List<String> rejectedExamples = new ArrayList<>();
        private long added, improved, unchanged, rejected;

        @Override
        public void key(ExportedRoomKey key, KeyProvenance provenance, String where) {
            String problem = key == null ? "not a room key object" : KeyRing.problem(key);
            if (problem != null) {
                rejected(where, problem);
                return;
            }
            try {
                pending.add(RoomKeyRecord.of(key, provenance, key.forwardingCurve25519KeyChain().size()));
            } catch (PanolmException e) {
                rejected(where + " (session " + key.sessionId() + ")", e.status().description());
                return;
            }
            if (pending.size() == BATCH) flush();
        }

        @Override
        public void rejected(String where, String why) {
            rejected++;
            if (rejectedExamples.size() < 5) rejectedExamples.add(where + ": " + why);
        }

        private void flush() {
            if (pending.isEmpty()) return;
            ImportSummary done = store.transaction(tx -> tx.addRoomKeys(pending));
            added += done.added();
            improved += done.improved();
            unchanged += done.unchanged();
            pending.clear();
        }

        /** @return what was imported so far (everything, once closed) */
        public Imported result() {
            return new Imported(added, improved, unchanged, rejected, List.copyOf(rejectedExamples));
        }

        /** Writes the last batch. */
        @Override
        public void close() {
            flush();
        }
    }

    /** @return a new importer into this store */
    public Importer importer() {
        return new Importer();
    }

    /** What receives the store's keys. */
    @FunctionalInterface
    public interface KeyVisitor {
        /**
         * One key held in the store.
         *
         * @throws java.io.IOException when it cannot be written on
         */
        void key(RoomKeyRecord record) throws java.io.IOException;
    }

    /**
     * Hands every room key to {@code visitor}, streamed, except those under the do-not-store flag (a session's or
     * its room's): they never leave the store.
     *
     * @return how many keys were left out for the flag
     */
    public long forEachKey(KeyVisitor visitor) throws java.io.IOException {
        try {
            return store.transaction(tx -> {
                long[] flagged = {0};
                tx.forEachRoomKey(r -> {
                    if (tx.doNotStore(r.roomId(), r.sessionId())) {
                        flagged[0]++;
                        return;
                    }
                    try {
                        visitor.key(r);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return flagged[0];
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Loads every key of the store into {@code ring} for bulk decryption; sessions under the do-not-store flag are
     * not loaded but withheld, so their events are reported as such and never decrypted.
     *
     * @return how many sessions were withheld
     */
    public long loadInto(KeyRing ring) {
        String where = "the store " + dir;
        return store.transaction(tx -> {
            long[] withheld = {0};
            tx.forEachRoomKey(r -> {
                if (tx.doNotStore(r.roomId(), r.sessionId())) {
                    ring.withhold(r.roomId(), r.sessionId());
                    withheld[0]++;
                } else {
                    ring.add(r, where);
                }
            });
            return withheld[0];
        });
    }

    @Override
    public void close() {
        store.close();
    }
}
