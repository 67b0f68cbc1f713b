package org.panolm.subtle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_h;

/**
 * The native batch Ed25519 verification against libsodium's single verification (the same call's EACH mode,
 * which is crypto_sign_verify_detached per signature), over random and adversarial signatures in batches of
 * every size: each signature's verdict must be libsodium's. The one documented exception (docs/ed25519-batch.md
 * §3) is a signature whose R carries a small-order component added by the key's holder: libsodium refuses it,
 * the batch refuses it with probability at least 1/2; the test checks that libsodium refuses each of them and
 * that they never change the verdict of any other signature of their batch.
 *
 * <p>{@code -Ded25519.differential.signatures=N} runs N signatures (default 30,000); docs/ed25519-batch.md
 * records a run of 2,000,000 through native/fuzz/ed25519_differential.c, the same comparison in C.
 */
class Ed25519BatchDifferentialTest {
    /** panolm.h's PANOLM_ED25519_BATCH and PANOLM_ED25519_EACH. */
    private static final int BATCH = 0;
    private static final int EACH = 1;
    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L =
            BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D =
            BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    /** What a case does to an honest signature. */
    enum Kind {
        VALID, FLIP_R, FLIP_S, FLIP_KEY, FLIP_MESSAGE, S_PLUS_L, S_RANDOM, SMALL_ORDER_R, SMALL_ORDER_KEY,
        MIXED_ORDER_KEY, NON_CANONICAL_KEY, NON_CANONICAL_R, R_OFF_CURVE, KEY_OFF_CURVE, TORSION_R
    }

    /** An affine point of edwards25519. */
    record Point(BigInteger x, BigInteger y) {
        Point add(Point o) {
            BigInteger t = D.multiply(x).multiply(o.x).multiply(y).multiply(o.y).mod(P);
            BigInteger x3 = x.multiply(o.y).add(y.multiply(o.x)).multiply(BigInteger.ONE.add(t).modInverse(P)).mod(P);
            BigInteger y3 = y.multiply(o.y).add(x.multiply(o.x)).multiply(BigInteger.ONE.subtract(t).mod(P).modInverse(P)).mod(P);
            return new Point(x3, y3);
        }

        byte[] encode() {
            byte[] out = littleEndian(y);
            if (x.testBit(0)) out[31] |= (byte) 0x80;
            return out;
        }

        static Point decode(byte[] s) {
            byte[] copy = s.clone();
            boolean sign = (copy[31] & 0x80) != 0;
            copy[31] &= 0x7f;
            BigInteger y = fromLittleEndian(copy);
            if (y.compareTo(P) >= 0) return null;
            BigInteger u = y.multiply(y).subtract(BigInteger.ONE).mod(P);
            BigInteger v = D.multiply(y).multiply(y).add(BigInteger.ONE).mod(P);
            BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
            BigInteger x = x2.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
            if (!x.multiply(x).mod(P).equals(x2)) x = x.multiply(SQRT_M1).mod(P);
            if (!x.multiply(x).mod(P).equals(x2)) return null;
            if (x.signum() == 0 && sign) return null;
            if (x.testBit(0) != sign) x = P.subtract(x).mod(P);
            return new Point(x, y);
        }
    }

    /** The eight points of order dividing 8: multiples of one of order 8 (libsodium lists its encoding). */
    private static final List<Point> TORSION = torsion();

    private static List<Point> torsion() {
        Point t8 = Point.decode(hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"));
        List<Point> all = new ArrayList<>();
        Point acc = new Point(BigInteger.ZERO, BigInteger.ONE);
        for (int k = 0; k < 8; k++) {
            all.add(acc);
            acc = acc.add(t8);
        }
        assertEquals(new Point(BigInteger.ZERO, BigInteger.ONE), acc, "the listed point has order 8");
        return all;
    }

    /** One signature of a batch, with what was done to it. */
    record Case(Kind kind, byte[] key, byte[] signature, byte[] message) {}

    /** A signer whose secret scalar and nonce prefix the test knows (RFC 8032 §5.1.5), to make crafted signatures. */
    record Signer(byte[] seed, byte[] key, BigInteger a, byte[] prefix) {
        static Signer of(byte[] seed) {
            byte[] h = sha512(seed);
            byte[] scalar = Arrays.copyOf(h, 32);
            scalar[0] &= (byte) 248;
            scalar[31] &= 63;
            scalar[31] |= 64;
            return new Signer(seed, Ed25519.publicKey(seed), fromLittleEndian(scalar), Arrays.copyOfRange(h, 32, 64));
        }

        /** The nonce r that signing {@code message} uses, so R = rB is the R of the honest signature. */
        BigInteger nonce(byte[] message) {
            return fromLittleEndian(sha512(prefix, message)).mod(L);
        }

        /** S for nonce r over (R, key, message), signed with this signer's scalar. */
        byte[] s(BigInteger r, byte[] rEncoded, byte[] keyEncoded, byte[] message) {
            BigInteger h = fromLittleEndian(sha512(rEncoded, keyEncoded, message)).mod(L);
            return littleEndian(r.add(h.multiply(a)).mod(L));
        }
    }

    @Test
    void batchVerdictsAreLibsodiumsOnRandomAndAdversarialSignatures() {
        int total = Integer.getInteger("ed25519.differential.signatures", 30_000);
        SplittableRandom rnd = new SplittableRandom(Long.getLong("ed25519.differential.seed", 20261205L));
        List<Signer> signers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] seed = new byte[32];
            rnd.nextBytes(seed);
            signers.add(Signer.of(seed));
        }
        Map<Kind, int[]> seen = new EnumMap<>(Kind.class);   // per kind: cases, accepted by libsodium, torsion accepted
        for (Kind k : Kind.values()) seen.put(k, new int[3]);
        int done = 0;
        int batchSize = 1;
        while (done < total) {
            // every size from 1 to 200 in turn (several chunks of 64 above 64), then random sizes
            int n = batchSize <= 200 ? batchSize++ : 1 + rnd.nextInt(300);
            // a batch mostly under one key (a Megolm session) or under many
            boolean oneKey = rnd.nextBoolean();
            Signer main = signers.get(rnd.nextInt(signers.size()));
            double badShare = rnd.nextInt(4) == 0 ? 0.0 : rnd.nextDouble() * 0.3;
            List<Case> cases = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Signer s = oneKey && rnd.nextInt(10) != 0 ? main : signers.get(rnd.nextInt(signers.size()));
                Kind kind = rnd.nextDouble() < badShare ? Kind.values()[1 + rnd.nextInt(Kind.values().length - 1)] : Kind.VALID;
                cases.add(make(kind, s, rnd));
            }
            int[] single = verify(cases, EACH);
            int[] batch = verify(cases, BATCH);
            for (int i = 0; i < n; i++) {
                Case c = cases.get(i);
                int[] counts = seen.get(c.kind);
                counts[0]++;
                if (single[i] == 0) counts[1]++;
                assertTrue(single[i] == 0 || single[i] == Status.BAD_SIGNATURE.code(), "single status");
                if (c.kind == Kind.TORSION_R) {
                    assertEquals(Status.BAD_SIGNATURE.code(), single[i], "libsodium refuses a torsion R");
                    if (batch[i] == 0) counts[2]++;
                    continue;
                }
                int at = i, size = n;
                assertEquals(single[i], batch[i], () -> "verdict of signature " + at + " of " + size + " (" + c.kind + ")");
            }
            done += n;
        }
        for (Kind k : Kind.values()) {
            int[] c = seen.get(k);
            assertTrue(c[0] > 0, "no case of kind " + k);
        }
        // Every kind happened, valid ones verified, and the adversarial kinds were refused by libsodium except
        // where a crafted key's torsion happened to vanish (MIXED_ORDER_KEY): the batch said the same each time.
        assertEquals(seen.get(Kind.VALID)[0], seen.get(Kind.VALID)[1], "honest signatures verify");
        assertTrue(seen.get(Kind.MIXED_ORDER_KEY)[1] > 0, "some mixed-order key signatures are accepted by libsodium");
        System.out.printf("Ed25519 batch differential: %d signatures; per kind [cases, libsodium accepted, torsion-R "
                + "accepted by batch]:%n", done);
        seen.forEach((k, c) -> System.out.printf("  %-18s %s%n", k, Arrays.toString(c)));
    }

    /**
     * The edge cases of "Taming the Many EdDSAs" (vendored, see speccheck/SOURCE.md): alone, all in one batch,
     * and each among honest signatures, many times over (the batch's weights are random), always libsodium's verdict.
     */
    @Test
    void tamingTheManyEdDsasVectorsGetLibsodiumsVerdicts() throws java.io.IOException {
        List<Case> vectors = new ArrayList<>();
        try (var in = Ed25519BatchDifferentialTest.class.getResourceAsStream("/speccheck/cases.json")) {
            for (var node : new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)) {
                vectors.add(new Case(Kind.VALID, hex(node.get("pub_key").asText()), hex(node.get("signature").asText()),
                        hex(node.get("message").asText())));
            }
        }
        assertEquals(15, vectors.size());
        int[] expected = verify(vectors, EACH);
        SplittableRandom rnd = new SplittableRandom(5);
        Signer honest = Signer.of(new byte[32]);
        for (int round = 0; round < 200; round++) {
            assertTrue(Arrays.equals(expected, verify(vectors, BATCH)), "all vectors in one batch");
            int v = round % vectors.size();
            List<Case> mixed = new ArrayList<>();
            int size = 1 + rnd.nextInt(100), at = rnd.nextInt(size);
            for (int i = 0; i < size; i++) mixed.add(i == at ? vectors.get(v) : make(Kind.VALID, honest, rnd));
            int[] got = verify(mixed, BATCH);
            for (int i = 0; i < size; i++) {
                assertEquals(i == at ? expected[v] : 0, got[i], "vector " + v + " at " + at + " of " + size);
            }
        }
    }

    @Test
    void malformedMessageEndsAreReportedPerSignature() {
        Signer s = Signer.of(new byte[32]);
        byte[] msg = "hello".getBytes();
        byte[] sig = Ed25519.sign(s.seed(), msg);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(96);
            MemorySegment sigs = arena.allocate(192);
            MemorySegment messages = arena.allocateFrom(ValueLayout.JAVA_BYTE, "hellohello".getBytes());
            MemorySegment ends = arena.allocateFrom(ValueLayout.JAVA_LONG, 5, 3, 10);   // the second goes backwards
            MemorySegment verdicts = arena.allocate(ValueLayout.JAVA_INT, 3);
            for (int i = 0; i < 3; i++) {
                MemorySegment.copy(s.key(), 0, keys, ValueLayout.JAVA_BYTE, 32L * i, 32);
                MemorySegment.copy(sig, 0, sigs, ValueLayout.JAVA_BYTE, 64L * i, 64);
            }
            for (int mode : new int[] {BATCH, EACH}) {
                assertEquals(0, panolm_h.panolm_ed25519_verify_batch(keys, sigs, messages, 10L, ends, 3L, verdicts, mode));
                assertEquals(0, verdicts.getAtIndex(ValueLayout.JAVA_INT, 0));
                assertEquals(Status.INVALID_ARGUMENT.code(), verdicts.getAtIndex(ValueLayout.JAVA_INT, 1));
                assertEquals(0, verdicts.getAtIndex(ValueLayout.JAVA_INT, 2), "starts where the last valid one ended");
            }
            assertEquals(Status.INVALID_ARGUMENT.code(),
                    panolm_h.panolm_ed25519_verify_batch(keys, sigs, messages, 10L, ends, 3L, verdicts, 7));
        }
    }

    private static Case make(Kind kind, Signer s, SplittableRandom rnd) {
        byte[] message = new byte[rnd.nextInt(300)];
        rnd.nextBytes(message);
        byte[] sig = Ed25519.sign(s.seed(), message);
        byte[] key = s.key().clone();
        switch (kind) {
            case VALID -> { }
            case FLIP_R -> sig[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
            case FLIP_S -> sig[32 + rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
            case FLIP_KEY -> key[rnd.nextInt(32)] ^= (byte) (1 << rnd.nextInt(8));
            case FLIP_MESSAGE -> {
                if (message.length == 0) message = new byte[] {1};
                else message[rnd.nextInt(message.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            case S_PLUS_L -> {
                BigInteger big = fromLittleEndian(Arrays.copyOfRange(sig, 32, 64)).add(L);
                System.arraycopy(littleEndian(big), 0, sig, 32, 32);
            }
            case S_RANDOM -> {
                BigInteger random = new BigInteger(256, new java.util.Random(rnd.nextLong())).mod(L);
                System.arraycopy(littleEndian(random), 0, sig, 32, 32);
            }
            case SMALL_ORDER_R -> {
                byte[] r = smallOrderEncoding(rnd);
                System.arraycopy(r, 0, sig, 0, 32);
                if (rnd.nextBoolean()) {   // an S that would match if R were taken as the identity: S = h a
                    BigInteger h = fromLittleEndian(sha512(r, key, message)).mod(L);
                    System.arraycopy(littleEndian(h.multiply(s.a()).mod(L)), 0, sig, 32, 32);
                }
            }
            case SMALL_ORDER_KEY -> {
                key = smallOrderEncoding(rnd);
                if (rnd.nextBoolean()) {   // S = r: right whenever h A vanishes, as it does for the identity
                    BigInteger r = s.nonce(message);
                    System.arraycopy(littleEndian(r), 0, sig, 32, 32);
                }
            }
            case MIXED_ORDER_KEY -> {
                Point a = Point.decode(key).add(TORSION.get(1 + rnd.nextInt(7)));
                key = a.encode();
                BigInteger r = s.nonce(message);
                System.arraycopy(s.s(r, Arrays.copyOf(sig, 32), key, message), 0, sig, 32, 32);
            }
            case NON_CANONICAL_KEY -> key = nonCanonical(rnd);
            case NON_CANONICAL_R -> System.arraycopy(nonCanonical(rnd), 0, sig, 0, 32);
            case R_OFF_CURVE -> System.arraycopy(offCurve(rnd), 0, sig, 0, 32);
            case KEY_OFF_CURVE -> key = offCurve(rnd);
            case TORSION_R -> {
                Point r = Point.decode(Arrays.copyOf(sig, 32)).add(TORSION.get(1 + rnd.nextInt(7)));
                byte[] rEncoded = r.encode();
                System.arraycopy(rEncoded, 0, sig, 0, 32);
                System.arraycopy(s.s(s.nonce(message), rEncoded, key, message), 0, sig, 32, 32);
            }
        }
        return new Case(kind, key, sig, message);
    }

    /** A small-order point's encoding, canonical or not (y + p where that fits, the sign bit set on x = 0). */
    private static byte[] smallOrderEncoding(SplittableRandom rnd) {
        Point t = TORSION.get(rnd.nextInt(8));
        byte[] e = t.encode();
        switch (rnd.nextInt(3)) {
            case 0 -> { }
            case 1 -> e[31] ^= (byte) 0x80;
            default -> {
                BigInteger y = t.y().add(P);
                if (y.bitLength() <= 255) {
                    byte[] n = littleEndian(y);
                    n[31] |= (byte) (e[31] & 0x80);
                    e = n;
                }
            }
        }
        return e;
    }

    /** y in [p, 2^255), with either sign. */
    private static byte[] nonCanonical(SplittableRandom rnd) {
        byte[] e = littleEndian(P.add(BigInteger.valueOf(rnd.nextInt(19))));
        if (rnd.nextBoolean()) e[31] |= (byte) 0x80;
        return e;
    }

    /** A canonical y with no point on the curve. */
    private static byte[] offCurve(SplittableRandom rnd) {
        while (true) {
            byte[] e = new byte[32];
            rnd.nextBytes(e);
            e[31] &= 0x7f;
            if (Point.decode(e) == null && fromLittleEndian(e).compareTo(P) < 0) {
                if (rnd.nextBoolean()) e[31] |= (byte) 0x80;
                return e;
            }
        }
    }

    private static int[] verify(List<Case> cases, int mode) {
        int n = cases.size();
        int total = cases.stream().mapToInt(c -> c.message.length).sum();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate(32L * n);
            MemorySegment sigs = arena.allocate(64L * n);
            MemorySegment messages = arena.allocate(Math.max(1, total));
            MemorySegment ends = arena.allocate(ValueLayout.JAVA_LONG, n);
            MemorySegment verdicts = arena.allocate(ValueLayout.JAVA_INT, n);
            long at = 0;
            for (int i = 0; i < n; i++) {
                Case c = cases.get(i);
                MemorySegment.copy(c.key, 0, keys, ValueLayout.JAVA_BYTE, 32L * i, 32);
                MemorySegment.copy(c.signature, 0, sigs, ValueLayout.JAVA_BYTE, 64L * i, 64);
                MemorySegment.copy(c.message, 0, messages, ValueLayout.JAVA_BYTE, at, c.message.length);
                at += c.message.length;
                ends.setAtIndex(ValueLayout.JAVA_LONG, i, at);
            }
            assertEquals(0, panolm_h.panolm_ed25519_verify_batch(keys, sigs, messages, total, ends, n, verdicts, mode));
            return verdicts.toArray(ValueLayout.JAVA_INT);
        }
    }

    private static byte[] sha512(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-512");
            for (byte[] p : parts) md.update(p);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] littleEndian(BigInteger v) {
        byte[] big = v.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < big.length; i++) out[i] = big[big.length - 1 - i];
        return out;
    }

    private static BigInteger fromLittleEndian(byte[] s) {
        byte[] big = new byte[s.length];
        for (int i = 0; i < s.length; i++) big[i] = s[s.length - 1 - i];
        return new BigInteger(1, big);
    }

    private static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
    }
}
