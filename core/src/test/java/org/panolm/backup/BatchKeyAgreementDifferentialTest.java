package org.panolm.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.panolm_backup_h;
import org.panolm.hardening.Wycheproof;
import org.panolm.keystore.RoomKeyFixtures;
import org.panolm.keystore.RoomKeyRecord;
import org.panolm.subtle.Aes;
import org.panolm.subtle.Kdf;
import org.panolm.subtle.Mac;
import org.panolm.subtle.X25519;

/**
 * The batch encryption and decryption compute their key agreements eight at a time in one vectorised ladder
 * (AVX-512 IFMA where the CPU has it); the single decryption and {@link X25519} use libsodium. Each entry
 * here is made for the secret libsodium computes with the entry's ephemeral key, so the batch must decrypt
 * it, or refuse it exactly where libsodium refuses the agreement (all-zero secrets). Ephemeral keys: random
 * bytes (half of them on the twist), valid public keys, every small-order point with and without bit 255,
 * values from p to 2^255 - 1, and the Wycheproof X25519 file. The other way, every entry the batch
 * encryption makes (its ephemeral key and its secret from the ladder) must decrypt through libsodium.
 */
class BatchKeyAgreementDifferentialTest {
    private static final byte[] PLAINTEXT = "{\"session_key\":\"k\"}".getBytes(StandardCharsets.UTF_8);
    private static final HexFormat HEX = HexFormat.of();

    /** libsodium's list of small-order u-coordinates (and p, p + 1, which reduce to two of them). */
    private static final List<byte[]> SMALL_ORDER = List.of(
            HEX.parseHex("0000000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
            HEX.parseHex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
            HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            HEX.parseHex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            HEX.parseHex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"));

    private record Entry(byte[] ephemeral, byte[] mac, byte[] ciphertext, boolean refused) {}

    /** An entry for key and ephemeral, built on libsodium's secret; refused when libsodium refuses it. */
    private static Entry entry(byte[] key, byte[] ephemeral) {
        byte[] secret;
        try {
            secret = X25519.sharedSecret(key, ephemeral);
        } catch (PanolmException e) {
            assertEquals(Status.NON_CONTRIBUTORY, e.status());
            return new Entry(ephemeral, new byte[8], new byte[16], true);
        }
        byte[] okm = Kdf.hkdfSha256(new byte[0], secret, new byte[0], 80);
        byte[] ct = Aes.cbcEncrypt(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 64, 80), PLAINTEXT);
        byte[] mac = Arrays.copyOf(Mac.hmacSha256(Arrays.copyOfRange(okm, 32, 64), new byte[0]), 8);
        return new Entry(ephemeral, mac, ct, false);
    }

    private static byte[] adversarial(Random random) {
        byte[] u = new byte[32];
        switch (random.nextInt(6)) {
            case 0 -> u = SMALL_ORDER.get(random.nextInt(SMALL_ORDER.size())).clone();
            case 1 -> { // p + i, i < 19: non-canonical encodings of 0..18
                Arrays.fill(u, (byte) 0xff);
                u[31] = 0x7f;
                u[0] = (byte) (0xed + random.nextInt(19));
            }
            case 2 -> u = X25519.publicKey(randomBytes(random, 32));
            default -> random.nextBytes(u);
        }
        if (random.nextBoolean()) u[31] ^= (byte) 0x80; // bit 255 must be ignored
        if (random.nextInt(8) == 0) u = X25519.publicKey(randomBytes(random, 32));
        return u;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Decrypts the entries as one batch; returns the statuses, and checks every plaintext. */
    private static int[] decryptBatch(byte[] key, List<Entry> entries, int threads) {
        int n = entries.size();
        try (Arena arena = Arena.ofConfined()) {
            long total = entries.stream().mapToLong(e -> e.ciphertext().length).sum();
            MemorySegment in = arena.allocate(Math.max(1, total));
            MemorySegment offsets = arena.allocate(ValueLayout.JAVA_LONG, n + 1L);
            MemorySegment ephemerals = arena.allocate(32L * n), macs = arena.allocate(8L * n);
            long at = 0;
            for (int i = 0; i < n; i++) {
                Entry e = entries.get(i);
                offsets.setAtIndex(ValueLayout.JAVA_LONG, i, at);
                MemorySegment.copy(e.ciphertext(), 0, in, ValueLayout.JAVA_BYTE, at, e.ciphertext().length);
                at += e.ciphertext().length;
                MemorySegment.copy(e.ephemeral(), 0, ephemerals, ValueLayout.JAVA_BYTE, 32L * i, 32);
                MemorySegment.copy(e.mac(), 0, macs, ValueLayout.JAVA_BYTE, 8L * i, 8);
            }
            offsets.setAtIndex(ValueLayout.JAVA_LONG, n, at);
            MemorySegment out = arena.allocate(Math.max(1, total));
            MemorySegment lengths = arena.allocate(ValueLayout.JAVA_LONG, n);
            MemorySegment statuses = arena.allocate(ValueLayout.JAVA_INT, n);
            MemorySegment k = arena.allocate(32);
            MemorySegment.copy(key, 0, k, ValueLayout.JAVA_BYTE, 0, 32);
            assertEquals(0, panolm_backup_h.panolm_backup_decrypt_batch(k, n, in, total, offsets, ephemerals, macs,
                    out, total, lengths, statuses, threads));
            int[] result = new int[n];
            for (int i = 0; i < n; i++) {
                result[i] = statuses.getAtIndex(ValueLayout.JAVA_INT, i);
                if (result[i] == 0) {
                    byte[] plain = out.asSlice(offsets.getAtIndex(ValueLayout.JAVA_LONG, i),
                            lengths.getAtIndex(ValueLayout.JAVA_LONG, i)).toArray(ValueLayout.JAVA_BYTE);
                    assertArrayEquals(PLAINTEXT, plain, "entry " + i);
                }
            }
            return result;
        }
    }

    private static void assertAgrees(byte[] key, List<Entry> entries, int threads, String what) {
        int[] statuses = decryptBatch(key, entries, threads);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            int want = entries.get(i).refused() ? Status.NON_CONTRIBUTORY.code() : 0;
            if (statuses[i] != want) {
                wrong.add(what + " entry " + i + " (" + HEX.formatHex(entries.get(i).ephemeral()) + "): status "
                        + statuses[i] + ", libsodium's " + want);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void thousandsOfRandomAndAdversarialEphemeralKeysAgreeWithLibsodium() {
        Random random = new Random(0x25519);
        int refused = 0, total = 0;
        for (int round = 0; round < 6; round++) {
            byte[] key = randomBytes(random, 32);
            List<Entry> entries = new ArrayList<>();
            // Odd sizes too: the last group of eight is partly filled.
            int n = 2000 + random.nextInt(8);
            for (int i = 0; i < n; i++) entries.add(entry(key, adversarial(random)));
            for (int threads : new int[] {1, 2}) assertAgrees(key, entries, threads, "round " + round);
            refused += (int) entries.stream().filter(Entry::refused).count();
            total += n;
        }
        assertTrue(total > 12_000);
        assertTrue(refused > 500, "small-order points were among them: " + refused);
    }

    @Test
    void whatTheBatchEncryptsLibsodiumDecrypts() {
        Map<String, RoomKeyRecord> records = new HashMap<>();
        for (int i = 0; i < 1003; i++) {
            RoomKeyRecord r = RoomKeyFixtures.record("!r" + (i % 7) + ":hs", i, RoomKeyFixtures.UNAUTHENTICATED, 0);
            records.put(r.sessionId(), r);
        }
        try (var key = BackupDecryptionKey.generate()) {
            for (int threads : new int[] {1, 2}) {
                RoomKeysBody body = key.publicKey().encrypt(records.values(), threads);
                int checked = 0;
                Set<String> ephemerals = new HashSet<>();
                for (RoomKeyBackup room : body.rooms().values()) {
                    for (var session : room.sessions().entrySet()) {
                        SessionData data = session.getValue().sessionData();
                        // The single decryption: libsodium's agreement.
                        assertEquals(records.get(session.getKey()).key().sessionKey(), key.decrypt(data).sessionKey(),
                                session.getKey());
                        ephemerals.add(data.ephemeral());
                        checked++;
                    }
                }
                assertEquals(records.size(), checked);
                assertEquals(records.size(), ephemerals.size(), "a fresh ephemeral key per entry");
            }
        }
    }

    @Test
    void theLadderRunsWhereTheCpuHasIfma() throws Exception {
        // Otherwise every comparison here would be libsodium against itself without anyone noticing.
        Set<String> flags = Files.readString(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("flags"))
                .findFirst().map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(Set.of());
        boolean ifma = flags.contains("avx512f") && flags.contains("avx512ifma");
        assertEquals(ifma ? 8 : 1, panolm_backup_h.panolm_backup_batch_lanes(), "flags: avx512ifma " + ifma);
    }

    @Test
    void aSmallOrderBackupKeyRefusesEveryEntryOfABatchAndLeavesNothing() {
        for (byte[] small : SMALL_ORDER) {
            int n = 9; // a full group of eight and a single one
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment pub = arena.allocate(32);
                MemorySegment.copy(small, 0, pub, ValueLayout.JAVA_BYTE, 0, 32);
                MemorySegment in = arena.allocate(PLAINTEXT.length * (long) n);
                MemorySegment offsets = arena.allocate(ValueLayout.JAVA_LONG, n + 1L);
                MemorySegment outOffsets = arena.allocate(ValueLayout.JAVA_LONG, n + 1L);
                for (int i = 0; i <= n; i++) {
                    offsets.setAtIndex(ValueLayout.JAVA_LONG, i, (long) PLAINTEXT.length * i);
                    outOffsets.setAtIndex(ValueLayout.JAVA_LONG, i, 64L * i);
                    if (i < n) MemorySegment.copy(PLAINTEXT, 0, in, ValueLayout.JAVA_BYTE, (long) PLAINTEXT.length * i,
                            PLAINTEXT.length);
                }
                MemorySegment out = arena.allocate(64L * n), lengths = arena.allocate(ValueLayout.JAVA_LONG, n);
                MemorySegment ephemerals = arena.allocate(32L * n), macs = arena.allocate(8L * n);
                MemorySegment statuses = arena.allocate(ValueLayout.JAVA_INT, n);
                ephemerals.fill((byte) 0x55);
                macs.fill((byte) 0x55);
                assertEquals(0, panolm_backup_h.panolm_backup_encrypt_batch(pub, n, in, in.byteSize(), offsets, out,
                        out.byteSize(), outOffsets, lengths, ephemerals, macs, statuses, 2));
                for (int i = 0; i < n; i++) {
                    assertEquals(Status.NON_CONTRIBUTORY.code(), statuses.getAtIndex(ValueLayout.JAVA_INT, i));
                    assertEquals(0, lengths.getAtIndex(ValueLayout.JAVA_LONG, i));
                }
                assertArrayEquals(new byte[32 * n], ephemerals.toArray(ValueLayout.JAVA_BYTE), HEX.formatHex(small));
                assertArrayEquals(new byte[8 * n], macs.toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(new byte[64 * n], out.toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    @Test
    void everyWycheproofX25519CaseInEveryLane() throws Exception {
        Random random = new Random(7);
        var cases = Wycheproof.x25519();
        for (var c : cases) {
            byte[] key = c.privateKey();
            Entry wanted = entry(key, c.publicKey());
            assertEquals(c.lowOrder(), wanted.refused(), "tcId " + c.source().id() + ": libsodium itself");
            if (!wanted.refused()) {
                assertArrayEquals(c.expectedSecret(), X25519.sharedSecret(key, c.publicKey()), "tcId " + c.source().id());
            }
            // The case in one lane, the other lanes random, over a group of eight; which lane varies by case.
            List<Entry> entries = new ArrayList<>();
            int lane = random.nextInt(8);
            for (int i = 0; i < 8; i++) entries.add(i == lane ? wanted : entry(key, adversarial(random)));
            assertAgrees(key, entries, 1, "tcId " + c.source().id());
        }
    }
}
