package org.panolm.benchmarks.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.panolm.benchmarks.jdk.JdkKeyExport;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.benchmarks.support.RoomKeyCorpus;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.ImportSummary;
import org.panolm.export.RoomKeyExport;
import org.panolm.keystore.SessionFilter;
import org.panolm.recovery.Passphrase;

/**
 * Element's room-key export file of {@code sessions} sessions at 500,000 PBKDF2 rounds. Export: records
 * to the armoured file in memory. Import: the file on disk (written by the JDK baseline in set-up) to
 * records. One call is one whole file; PBKDF2 dominates, the rest is JSON, AES-CTR, HMAC and base64.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.JMH_UNSAFE})
public class KeyExportBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ExportedRoomKey>> KEYS = new TypeReference<>() {};
    private static final String PASSPHRASE = "an export passphrase";

    @Param("10000")
    public int sessions;

    @Param("500000")
    public int rounds;

    private List<ExportedRoomKey> keys;
    private Path dir;
    private Path file;
    private JdkKeyExport jdk;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        keys = RoomKeyCorpus.keys(sessions);
        jdk = new JdkKeyExport();
        dir = Files.createTempDirectory("panolm-bench-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        file = dir.resolve("keys.txt");
        Files.writeString(file, jdk.encrypt(JSON.writeValueAsBytes(keys), PASSPHRASE.toCharArray(), rounds),
                StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Benchmark
    public byte[] exportPanolm() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sessions * 700);
        try (Passphrase p = Passphrase.of(PASSPHRASE)) {
            RoomKeyExport.export(keys, SessionFilter.all(), p, rounds, out);
        }
        return out.toByteArray();
    }

    @Benchmark
    public String exportJdk() throws Exception {
        return jdk.encrypt(JSON.writeValueAsBytes(keys), PASSPHRASE.toCharArray(), rounds);
    }

    @Benchmark
    public List<ExportedRoomKey> importPanolm() throws Exception {
        List<ExportedRoomKey> out = new ArrayList<>(sessions);
        try (Passphrase p = Passphrase.of(PASSPHRASE)) {
            ImportSummary s = RoomKeyExport.importFile(file, p, SessionFilter.all(), out::add);
            if (s.read() != sessions) throw new IllegalStateException("imported " + s.read() + " of " + sessions);
        }
        return out;
    }

    @Benchmark
    public List<ExportedRoomKey> importJdk() throws Exception {
        List<ExportedRoomKey> out = JSON.readValue(jdk.decrypt(Files.readString(file, StandardCharsets.US_ASCII),
                PASSPHRASE.toCharArray()), KEYS);
        if (out.size() != sessions) throw new IllegalStateException("imported " + out.size() + " of " + sessions);
        return out;
    }
}
