package org.panolm.client.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.panolm.backup.BackupVersion;
import org.panolm.client.HomeserverClient;
import org.panolm.client.backup.BackupRestorer;
import org.panolm.client.backup.BackupUploader;
import org.panolm.client.backup.RestoreSummary;
import org.panolm.client.backup.SecureBackup;
import org.panolm.client.backup.SetupResult;
import org.panolm.client.backup.TestKeysAccess;
import org.panolm.client.backup.UnlockedSecrets;
import org.panolm.client.backup.UploadJournal;
import org.panolm.client.backup.UploadOutcome;
import org.panolm.client.device.OwnDevice;
import org.panolm.keystore.KeyStore;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.keystore.SessionFilter;
import org.panolm.olm.Account;
import org.panolm.testkit.TestHomeserver;

/**
 * Upload and restore of N room keys over HTTP against the test homeserver, each timed with its peak heap.
 * The homeserver runs in a child JVM (so its memory is not counted); the client runs in this one, which the
 * caller starts with the heap to prove ({@code -Xmx256m}). Usage: {@code BackupOverHttpBenchmark [keys]}; prints
 * one line per phase. Peak heap is the most heap in use (live and garbage) seen by a 5 ms sampler; CPU is the
 * process CPU time of each side during the phase. System properties: {@code bench.server.jvm} (options for the
 * homeserver's JVM, e.g. a flight recording), {@code bench.server.noResponseValidation}.
 */
public final class BackupOverHttpBenchmark {
    private BackupOverHttpBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--server")) {
            // Every request and response is checked against the spec, as in the tests (the whole 100,000-key
            // body too: about 1.5 us a key); -Dbench.server.noResponseValidation=true measures without it.
            boolean validate = !Boolean.getBoolean("bench.server.noResponseValidation");
            try (TestHomeserver server = TestHomeserver.builder().validateResponses(validate).start()) {
                System.out.println(server.baseUrl());
                System.out.flush();
                System.in.read(); // until the parent closes our stdin
            }
            return;
        }
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx3g"));
        // For profiling the homeserver on its own, e.g. -Dbench.server.jvm=-XX:StartFlightRecording:filename=s.jfr
        String serverJvm = System.getProperty("bench.server.jvm", "").strip();
        if (!serverJvm.isEmpty()) command.addAll(List.of(serverJvm.split("\\s+")));
        if (Boolean.getBoolean("bench.server.noResponseValidation")) {
            command.add("-Dbench.server.noResponseValidation=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackupOverHttpBenchmark.class.getName(),
                "--server"));
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line;
            // The JVM may print first (a flight recording announces itself): the base URL is the first http line.
            while ((line = out.readLine()) != null && !line.startsWith("http")) System.out.println("server: " + line);
            if (line == null) throw new IllegalStateException("the homeserver exited before printing its URL");
            run(URI.create(line), keys, server.toHandle());
        } finally {
            server.getOutputStream().close();
            server.waitFor();
        }
    }

    private static void run(URI base, int n, ProcessHandle server) {
        System.out.printf("client heap limit %d MiB, %d cores, %d keys%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), n);
        List<RoomKeyRecord> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) records.add(TestKeysAccess.random("!room" + (i % 100) + ":localhost"));
        try (HomeserverClient client = HomeserverClient.builder(base).build(); Account account = Account.create()) {
            client.register("bench" + System.nanoTime(), "pw".toCharArray(), null);
            OwnDevice device = new OwnDevice(client.requireCredentials(), account);
            SecureBackup backup = new SecureBackup(client, device);
            SetupResult setup = backup.setUpWithSecurityKey("pw".toCharArray());
            try (UnlockedSecrets secrets = setup.secrets()) {
                BackupVersion version = setup.version();
                // The device that uploads and the device that restores are two devices: one store at a time.
                try (KeyStore store = KeyStore.inMemory()) {
                    store.importKeys(records);
                    records = null; // only the store holds them now
                    Sampler up = Sampler.start(server);
                    UploadOutcome outcome = new BackupUploader(client, store, UploadJournal.none(),
                            BackupUploader.DEFAULT_BATCH, SessionFilter.all()).upload(version);
                    up.stop("upload", outcome.sessionsUploaded());
                    if (outcome.sessionsUploaded() != n || outcome.serverCount() != n) {
                        throw new IllegalStateException("uploaded " + outcome);
                    }
                }
                try (KeyStore fresh = KeyStore.inMemory()) {
                    Sampler down = Sampler.start(server);
                    RestoreSummary summary = new BackupRestorer(client, fresh, BackupRestorer.DEFAULT_CHUNK)
                            .restore(version, true, secrets.backupKey().orElseThrow(), SessionFilter.all());
                    down.stop("restore", summary.restored());
                    if (summary.restored() != n || fresh.size() != n) throw new IllegalStateException("restored " + summary);
                }
            }
        }
    }

    /**
     * Wall time, the most heap in use, and the CPU time of client and homeserver while a phase runs (on a shared
     * machine the wall time depends on the load; the CPU times say which side costs what).
     */
    private static final class Sampler {
        private final ProcessHandle server;
        private final long serverCpu;
        private final long clientCpu = clientCpuNanos();
        private final long start = System.nanoTime();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;
        private final Thread thread;

        private Sampler(ProcessHandle server) {
            this.server = server;
            this.serverCpu = serverCpuNanos(server);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static Sampler start(ProcessHandle server) {
            System.gc();
            return new Sampler(server);
        }

        private static long clientCpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long serverCpuNanos(ProcessHandle server) {
            return server.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(-1L);
        }

        void stop(String phase, long items) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            long client = (clientCpuNanos() - clientCpu) / 1_000_000;
            long serverNow = serverCpuNanos(server);
            long serverMs = serverNow < 0 || serverCpu < 0 ? -1 : (serverNow - serverCpu) / 1_000_000;
            running = false;
            System.out.printf("%s: %d keys in %d ms (%.0f keys/s), peak heap %d MiB; CPU client %d ms, homeserver %d ms%n",
                    phase, items, ms, items * 1000.0 / Math.max(1, ms), peak.get() >> 20, client, serverMs);
        }
    }
}
