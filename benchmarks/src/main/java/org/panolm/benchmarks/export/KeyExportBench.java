package org.panolm.benchmarks.export;

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
import org.openjdk.jmh.annotations.Warmup;

import org.panolm.benchmarks.jdk.JdkKeyExport;
import org.panolm.benchmarks.support.Jvm;
import org.panolm.export.ExportedRoomKey;

/**
 * Room-key export file of {@code sessions} sessions at Element's 500,000 PBKDF2 rounds: writing it
 * (records to armoured file) and reading it (armoured file to records). One call is one whole file.
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
    private String file;
    private JdkKeyExport jdk;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        keys = ExportCorpus.sessions(sessions);
        jdk = new JdkKeyExport();
        file = jdk.encrypt(JSON.writeValueAsBytes(keys), PASSPHRASE.toCharArray(), rounds);
    }

    @Benchmark
    public String exportJdk() throws Exception {
        return jdk.encrypt(JSON.writeValueAsBytes(keys), PASSPHRASE.toCharArray(), rounds);
    }

    @Benchmark
    public List<ExportedRoomKey> importJdk() throws Exception {
        return JSON.readValue(jdk.decrypt(file, PASSPHRASE.toCharArray()), KEYS);
    }
}
