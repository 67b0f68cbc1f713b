package org.panolm.client.backup;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.device.OwnDevice;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.olm.Account;

/**
 * The client side of {@link SmallHeapBackupTest}, run in a JVM with a small heap: fills an engine store with N
 * keys a batch at a time, uploads them over HTTP, restores them into a second store, and prints
 * {@code name value} lines (counts, peak heap) for the parent to check. Arguments: base URL, N, folder.
 */
public final class SmallHeapBackupChild {
    private SmallHeapBackupChild() {}

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        AtomicLong peak = new AtomicLong();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (HomeserverClient client = HomeserverClient.builder(base).build(); Account account = Account.create()) {
            client.register("smallheap" + System.nanoTime(), "pw".toCharArray(), null);
            SecureBackup backup = new SecureBackup(client, new OwnDevice(client.requireCredentials(), account));
            SetupResult setup = backup.setUpWithSecurityKey("pw".toCharArray());
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupVersion version = setup.version();
                try (var store = SqliteCryptoStore.open(dir.resolve("up.db"), StoreKey.of(new byte[32]))) {
                    for (int done = 0; done < n; ) {
                        int batch = Math.min(1000, n - done);
                        List<RoomKeyRecord> keys = new ArrayList<>(batch);
                        for (int i = 0; i < batch; i++) keys.add(TestKeys.random("!room" + ((done + i) % 100) + ":localhost"));
                        store.transaction(tx -> {
                            keys.forEach(tx::addRoomKey);
                            return null;
                        });
                        done += batch;
                    }
                    UploadOutcome up = new BackupUploader(client, UploadSource.of(store), BackupUploader.DEFAULT_BATCH,
                            SessionFilter.all()).keepCurrent(backup, secrets);
                    System.out.println("uploaded " + up.sessionsUploaded());
                    System.out.println("serverCount " + up.serverCount());
                }
                try (var store = SqliteCryptoStore.open(dir.resolve("down.db"), StoreKey.of(new byte[32]))) {
                    RestoreSummary summary = new BackupRestorer(client, RestoreTarget.of(store),
                            BackupRestorer.DEFAULT_CHUNK)
                            .restore(version, true, secrets.backupKey().orElseThrow(), SessionFilter.all());
                    System.out.println("restored " + summary.restored());
                    System.out.println("held " + store.transaction(tx -> tx.roomKeyCount()));
                }
                // The size of the body the restore streamed, counted the same streaming way.
                long body = 0;
                try (var in = client.getStream("/_matrix/client/v3/room_keys/keys?version="
                        + HomeserverClient.segment(version.version()))) {
                    byte[] buffer = new byte[1 << 16];
                    for (int r; (r = in.read(buffer)) > 0; ) body += r;
                }
                System.out.println("bodyBytes " + body);
            }
        }
        sampler.interrupt();
        System.out.println("maxHeap " + Runtime.getRuntime().maxMemory());
        System.out.println("peakHeap " + peak.get());
    }
}
