package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.panolm.subtle.Ed25519;

/**
 * Known answers for what Olm adds to the primitives: signing with libolm's expanded Ed25519 key (an account
 * read from a libolm pickle can only sign that way) gives RFC 8032's signatures (§7.1, tests 1 to 3), and the
 * same as libsodium signing from the seed for random seeds and messages.
 */
class OlmKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String[][] RFC8032 = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };

    @Test
    void rfc8032SignaturesFromTheExpandedKey() {
        for (String[] v : RFC8032) {
            byte[] pickleKey = "kat".getBytes(StandardCharsets.UTF_8);
            try (Account account = Account.fromLibolmPickle(org.panolm.testing.LibolmPickles.account(HEX.parseHex(v[0]), HEX.parseHex(v[1]),
                    pickleKey), pickleKey)) {
                assertEquals(v[1], HEX.formatHex(account.identityKeys().ed25519().bytes()));
                assertEquals(v[3], HEX.formatHex(account.sign(HEX.parseHex(v[2]))), "RFC 8032 " + v[0]);
            }
        }
    }

    @Test
    void theExpandedSignerEqualsSigningFromTheSeed() {
        var random = new java.util.SplittableRandom(8032);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            byte[] message = new byte[random.nextInt(300)];
            random.nextBytes(message);
            byte[] pub = Ed25519.publicKey(seed);
            try (Account account = Account.fromLibolmPickle(org.panolm.testing.LibolmPickles.account(seed, pub, new byte[0]), new byte[0])) {
                assertArrayEquals(Ed25519.sign(seed, message), account.sign(message), "seed " + HEX.formatHex(seed));
            }
        }
    }
}
