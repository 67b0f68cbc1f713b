package org.panolm.benchmarks.olm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.panolm.benchmarks.libolm.LibolmOlm;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.olm.Account;
import org.panolm.olm.BatchEncryption;
import org.panolm.olm.PayloadTemplate;
import org.panolm.olm.Session;

/**
 * The hot case of room-key sharing: one {@code m.room_key} payload (about 600 bytes, differing per device
 * only in {@code recipient} and {@code recipient_keys}) Olm-encrypted for every device of a large room,
 * over established sessions. panolm does it in one native call ({@link BatchEncryption}) on
 * {@code threads} threads; libolm, with no batch API, is called once per device (the payload filled in
 * Java), with the devices split over {@code threads} Java threads. Reported per whole share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE, "-Xmx2g"})
public class OlmShareBench {
    @Param({"PANOLM", "LIBOLM"})
    public OlmImpl impl;

    @Param({"1000", "10000"})
    public int recipients;

    @Param({"1", "2"})
    public int threads;

    private static final String PREFIX = "{\"type\":\"m.room_key\",\"content\":{\"algorithm\":\"m.megolm.v1.aes-sha2\","
            + "\"room_id\":\"!benchmark:example.org\",\"session_id\":\"" + "S".repeat(43) + "\",\"session_key\":\""
            + "K".repeat(306) + "\"},\"sender\":\"@alice:example.org\",\"sender_device\":\"ALICEDEVICE\","
            + "\"keys\":{\"ed25519\":\"" + "E".repeat(43) + "\"},\"recipient\":\"";
    private static final String MIDDLE = "\",\"recipient_keys\":{\"ed25519\":\"";
    private static final String SUFFIX = "\"}}";

    private final List<AutoCloseable> owned = new ArrayList<>();
    private List<BatchEncryption.Recipient> batch;
    private PayloadTemplate template;
    private List<LibolmOlm.Session> libolmSessions;
    private List<String[]> values;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        values = new ArrayList<>(recipients);
        for (int i = 0; i < recipients; i++) {
            values.add(new String[] {"@user" + i + ":example.org", "D".repeat(42) + (i % 10)});
        }
        if (impl == OlmImpl.PANOLM) {
            Account alice = Account.create();
            owned.add(alice);
            template = PayloadTemplate.of(PREFIX, MIDDLE, SUFFIX);
            batch = new ArrayList<>(recipients);
            for (int i = 0; i < recipients; i++) {
                try (Account device = Account.create()) {
                    device.generateFallbackKey();
                    Session s = Session.createOutbound(alice, device.identityKeys().curve25519(),
                            device.fallbackKey().orElseThrow().publicKey());
                    owned.add(s);
                    batch.add(new BatchEncryption.Recipient(s, List.of(values.get(i)[0].getBytes(StandardCharsets.UTF_8),
                            values.get(i)[1].getBytes(StandardCharsets.US_ASCII))));
                }
            }
        } else {
            LibolmOlm.Account alice = new LibolmOlm.Account();
            owned.add(alice);
            libolmSessions = new ArrayList<>(recipients);
            for (int i = 0; i < recipients; i++) {
                try (LibolmOlm.Account device = new LibolmOlm.Account()) {
                    LibolmOlm.Session s = LibolmOlm.Session.outbound(alice, device.curve25519(), device.fallbackKey(), 1024);
                    owned.add(s);
                    libolmSessions.add(s);
                }
            }
            pool = Executors.newFixedThreadPool(threads);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (int i = owned.size() - 1; i >= 0; i--) owned.get(i).close();
        if (pool != null) pool.shutdownNow();
    }

    @Benchmark
    public Object share() throws Exception {
        if (impl == OlmImpl.PANOLM) return BatchEncryption.encrypt(template, batch, threads);
        List<Future<List<String>>> parts = new ArrayList<>(threads);
        int per = (recipients + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * per, to = Math.min(recipients, from + per);
            parts.add(pool.submit(() -> {
                List<String> out = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    String[] v = values.get(i);
                    byte[] plaintext = (PREFIX + v[0] + MIDDLE + v[1] + SUFFIX).getBytes(StandardCharsets.UTF_8);
                    out.add(libolmSessions.get(i).encrypt(plaintext));
                }
                return out;
            }));
        }
        List<String> all = new ArrayList<>(recipients);
        for (Future<List<String>> f : parts) all.addAll(f.get());
        return all;
    }
}
