package org.panolm.benchmarks.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

import org.panolm.benchmarks.support.Jvm;
import org.panolm.engine.EncryptionSettings;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.store.SqliteCryptoStore;
import org.panolm.engine.store.StoreKey;

/**
 * Room-key sharing as a client does it, through the engine: {@code shareRoomKey} for a new room whose members'
 * devices all have Olm sessions already (set up once in the trial), then every to-device request the engine
 * queues is serialised and reported sent. That is a new Megolm session, its m.room_key Olm-encrypted for every
 * device in one batch call, the sessions and the outbound session saved in the encrypted SQLite store (durable
 * before the requests are handed out), and the to-device bodies. Reported per whole share.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE, "-Xmx2g"})
public class EngineShareBench {
    @Param({"1000", "10000"})
    public int recipients;

    private Path dir;
    private SqliteCryptoStore store;
    private OlmMachine engine;
    private EngineServer server;
    private List<String> members;
    private int room;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("panolm-engine-bench");
        store = SqliteCryptoStore.open(dir.resolve("alice.db"), StoreKey.of(new byte[32]));
        engine = OlmMachine.open("@alice:example.org", "ALICE", store);
        server = new EngineServer();
        members = server.addDevices(recipients);
        server.drive(engine);
        engine.updateTrackedUsers(members);
        // The first share queries every device, claims their one-time keys and creates the Olm sessions.
        engine.shareRoomKey("!setup:example.org", members, EncryptionSettings.defaults());
        server.drive(engine);
        if (server.toDeviceBytes == 0) throw new IllegalStateException("the engine sent no room key");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        engine.close();
        store.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Benchmark
    public long share() {
        long before = server.toDeviceBytes;
        engine.shareRoomKey("!room" + room++ + ":example.org", members, EncryptionSettings.defaults());
        server.drive(engine);
        return server.toDeviceBytes - before;
    }
}
