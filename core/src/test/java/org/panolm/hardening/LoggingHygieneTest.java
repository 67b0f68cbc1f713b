package org.panolm.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panolm.backup.BackupDecryptionKey;
import org.panolm.bindings.NativeLibraries;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.keystore.SessionFilter;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.MegolmOutboundSession;
import org.panolm.recovery.Passphrase;
import org.panolm.recovery.RecoveryKey;
import org.panolm.ssss.SecretStorage;
import org.panolm.ssss.SecretStorageKey;
import org.panolm.testing.CapturingLoggerFinder;
import org.panolm.testing.CapturingLoggerFinder.Entry;
import org.panolm.testsupport.Peers;

/**
 * panolm's diagnostics go through {@link System.Logger} and never carry a secret. This JVM's logger finder
 * is {@link CapturingLoggerFinder}, which keeps every record panolm logs, at every level, with its raw
 * parameters. After key operations (loading libpanolm, Megolm, backup keys and the Security Key, secret
 * storage, an encrypted key export) no record's text contains any of their secrets, and no parameter is a
 * key-holding object, a byte or char array, or native memory.
 */
class LoggingHygieneTest {
    private static final Pattern PRINTING = Pattern.compile(
            "System\\.(out|err)\\b|\\.printStackTrace\\(|java\\.util\\.logging|org\\.slf4j|org\\.apache\\.log4j");

    @Test
    void libraryCodeWritesDiagnosticsOnlyThroughSystemLogger() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String module : List.of("bindings", "core")) {
            try (Stream<Path> files = Files.walk(Peers.root().resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        if (PRINTING.matcher(lines.get(i)).find()) offenders.add(f.getFileName() + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(List.of(), offenders, "print through System.getLogger(...) instead");
    }

    @Test
    void keyOperationsLogNoSecret(@TempDir Path dir) throws IOException {
        assertInstanceOf(CapturingLoggerFinder.class, System.LoggerFinder.getLoggerFinder());
        List<byte[]> secrets = new ArrayList<>();

        NativeLibraries.panolm().get();
        try (var out = MegolmOutboundSession.create()) {
            var sessionKey = out.sessionKey();
            secrets.add(Arrays.copyOfRange(sessionKey.bytes(), 5, 133)); // the ratchet
            String ciphertext = out.encrypt("{\"body\":\"a plaintext the logs must not see\"}");
            try (var in = MegolmInboundSession.create(sessionKey)) {
                secrets.add(in.decrypt(ciphertext).plaintext());
                secrets.add(in.export().toBase64().getBytes(StandardCharsets.US_ASCII));
                // Keys of the right form: an export file only holds keys every client can import.
                var exported = new ExportedRoomKey(ExportedRoomKey.MEGOLM_V1, "!room:example.org",
                        "3C5BFWi2Y8MaVvjM8M22DBmh24PmgR0nPvJOIArzgyI", in.sessionId(), in.export().toBase64(),
                        java.util.Map.of("ed25519", "JGLn/yafz74HRzd0MXvLmPCa4ZRgB5+DuvOXiVxDK9c"), null, null);
                String words = "a passphrase the logs must not see";
                secrets.add(words.getBytes(StandardCharsets.UTF_8));
                Path file = dir.resolve("keys.txt");
                try (var passphrase = Passphrase.of(words); var fileOut = Files.newOutputStream(file)) {
                    RoomKeyExport.export(List.of(exported), SessionFilter.all(), passphrase, 1000, fileOut);
                }
                try (var passphrase = Passphrase.of(words)) {
                    var plain = new ByteArrayOutputStream();
                    RoomKeyExport.decryptJson(file, passphrase, plain);
                    assertTrue(plain.toString(StandardCharsets.UTF_8).contains(in.sessionId()));
                }
            }
        }
        try (var backup = BackupDecryptionKey.generate()) {
            secrets.add(backup.toBytes());
            String recoveryKey = backup.toRecoveryKey();
            secrets.add(recoveryKey.replace(" ", "").getBytes(StandardCharsets.US_ASCII));
            secrets.add(recoveryKey.substring(0, 24).getBytes(StandardCharsets.US_ASCII));
            try (var again = BackupDecryptionKey.fromRecoveryKey(recoveryKey)) {
                assertTrue(Arrays.equals(backup.toBytes(), again.toBytes()));
            }
            assertEquals(32, RecoveryKey.decode(recoveryKey).length);
        }
        try (var ssss = SecretStorageKey.generate()) {
            secrets.add(ssss.copyBytes());
            byte[] secret = "a stored secret the logs must not see".getBytes(StandardCharsets.UTF_8);
            secrets.add(secret);
            var encrypted = SecretStorage.encrypt(ssss, "m.megolm_backup.v1", secret);
            assertTrue(Arrays.equals(secret, SecretStorage.decrypt(ssss, "m.megolm_backup.v1", encrypted)));
        }

        List<Entry> entries = CapturingLoggerFinder.entries();
        assertEquals(0, CapturingLoggerFinder.dropped(), "records were dropped: the check would be incomplete");
        // The loader's own record is there: the capture works and panolm's DEBUG level reaches it.
        assertTrue(entries.stream().anyMatch(e -> e.logger().equals(NativeLibraries.class.getName())
                && e.level() == System.Logger.Level.DEBUG
                && e.text().startsWith("libpanolm " + NativeLibraries.javaVersion() + " loaded from ")),
                entries.toString());
        assertEquals(List.of(), leaks(entries, secrets));
    }

    /** The check above finds a secret, and a key object, handed to a log call. */
    @Test
    void theCheckFindsWhatALogCallWasGiven() {
        String logger = "org.panolm.test.control";
        try (var key = BackupDecryptionKey.generate()) {
            System.getLogger(logger).log(System.Logger.Level.TRACE, "restored with {0}", key.toBase64());
            System.getLogger(logger).log(System.Logger.Level.DEBUG, "key {0}", key);
            List<Entry> control = CapturingLoggerFinder.entries().stream().filter(e -> e.logger().equals(logger))
                    .toList();
            List<String> found = leaks(control, List.of(key.toBytes()));
            assertEquals(2, found.size(), found.toString());
        }
    }

    private static List<String> leaks(List<Entry> entries, List<byte[]> secrets) {
        List<String> leaks = new ArrayList<>();
        for (Entry e : entries) {
            for (Object p : e.params()) {
                if (p instanceof byte[] || p instanceof char[] || p instanceof MemorySegment || p instanceof ByteBuffer
                        || p instanceof AutoCloseable && p.getClass().getName().startsWith("org.panolm.")) {
                    leaks.add(e.logger() + " was given a " + p.getClass().getName() + ": " + e.message());
                }
            }
            String text = e.text();
            for (byte[] secret : secrets) {
                assertTrue(secret.length >= 16, "secret too short to scan for");
                String plain = new String(secret, StandardCharsets.ISO_8859_1);
                if (SecretText.find(text, secret) != null || text.contains(plain)) {
                    leaks.add(e.logger() + " logged a secret: " + e.message());
                }
            }
        }
        return leaks;
    }
}
