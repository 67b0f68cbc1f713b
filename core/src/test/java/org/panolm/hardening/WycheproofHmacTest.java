package org.panolm.hardening;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.function.BinaryOperator;

import org.junit.jupiter.api.Test;
import org.panolm.subtle.Mac;

/**
 * HMAC-SHA-256 and HMAC-SHA-512, with keys shorter than, equal to and longer than the block size. Groups
 * with a smaller {@code tagSize} compare the leading bytes only (a truncated tag, as the test defines it).
 * Invalid cases are tags with flipped bits that must not compare equal.
 */
class WycheproofHmacTest {
    @Test
    void hmacSha256Vectors() {
        run("hmac_sha256_test.json", "HMAC-SHA-256", Mac::hmacSha256);
    }

    @Test
    void hmacSha512Vectors() {
        run("hmac_sha512_test.json", "HMAC-SHA-512", Mac::hmacSha512);
    }

    private static void run(String fileName, String name, BinaryOperator<byte[]> mac) {
        var file = Wycheproof.load(fileName);
        var tally = new VectorTally(name);
        for (var c : file.cases()) {
            int tagBytes = c.groupInt("tagSize") / 8;
            byte[] full = mac.apply(c.hex("key"), c.hex("msg"));
            byte[] tag = c.hex("tag");
            boolean equal = tag.length == tagBytes && MessageDigest.isEqual(Arrays.copyOf(full, tagBytes), tag);
            String kind = tagBytes < full.length ? "truncated" : "full";
            if (c.valid() == equal) tally.pass((c.valid() ? "valid, " : "invalid, ") + kind + " tag");
            else tally.fail(c, c.valid() ? "computed tag differs" : "a modified tag matched");
        }
        tally.assertAllPassed(file.numberOfTests());
    }
}
