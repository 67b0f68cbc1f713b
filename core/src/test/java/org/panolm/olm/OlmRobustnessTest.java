package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.pk.PkDecryption;

/** Damaged Olm input ends as a PanolmException, nothing else: prefixes, byte flips, random bytes and pickles. */
class OlmRobustnessTest {
    @Test
    void damagedPreKeyAndNormalMessagesAreRefused() {
        try (Account alice = Account.create(); Account bob = Account.create()) {
            bob.generateOneTimeKeys(1);
            Curve25519PublicKey otk = bob.oneTimeKeys().getFirst().publicKey();
            try (Session out = Session.createOutbound(alice, bob.identityKeys().curve25519(), otk)) {
                OlmMessage preKey = out.encrypt("first".getBytes(StandardCharsets.UTF_8));
                byte[] body = preKey.body();
                for (int n = 1; n < body.length; n++) {
                    OlmMessage prefix = new OlmMessage(OlmMessage.Type.PRE_KEY, Arrays.copyOf(body, n));
                    assertThrows(PanolmException.class, () -> Session.createInbound(bob, prefix).close(), "prefix " + n);
                }
                try (Session in = Session.createInbound(bob, preKey)) {
                    assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), in.decrypt(preKey));
                    byte[] normal = in.encrypt("reply".getBytes(StandardCharsets.UTF_8)).body();
                    for (int n = 1; n < normal.length; n++) {
                        OlmMessage prefix = new OlmMessage(OlmMessage.Type.NORMAL, Arrays.copyOf(normal, n));
                        assertThrows(PanolmException.class, () -> out.decrypt(prefix), "prefix " + n);
                    }
                    for (int i = 0; i < normal.length; i++) {
                        byte[] flipped = normal.clone();
                        flipped[i] ^= 0x40;
                        OlmMessage m = new OlmMessage(OlmMessage.Type.NORMAL, flipped);
                        assertThrows(PanolmException.class, () -> out.decrypt(m), "byte " + i);
                    }
                    assertArrayEquals("reply".getBytes(StandardCharsets.UTF_8),
                            out.decrypt(new OlmMessage(OlmMessage.Type.NORMAL, normal)));
                }
            }
        }
    }

    @Test
    void randomPicklesAndMessages() {
        Random random = new Random(3);
        try (Account account = Account.create();
             Session session = Session.createOutbound(account, account.identityKeys().curve25519(),
                     account.identityKeys().curve25519())) {
            for (int k = 0; k < 80; k++) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                if (k % 2 == 0) junk[0] = 3;
                OlmMessage.Type type = k % 4 < 2 ? OlmMessage.Type.PRE_KEY : OlmMessage.Type.NORMAL;
                OlmMessage m = new OlmMessage(type, junk);
                assertThrows(PanolmException.class, () -> session.decrypt(m));
                if (type == OlmMessage.Type.PRE_KEY) {
                    assertThrows(PanolmException.class, () -> Session.createInbound(account, m).close());
                }
            }
        }
        for (int k = 0; k < 40; k++) {
            byte[] pickle = new byte[1 + random.nextInt(600)];
            random.nextBytes(pickle);
            String text = Base64.getEncoder().withoutPadding().encodeToString(pickle);
            byte[] key = {7};
            assertThrows(PanolmException.class, () -> Account.fromPickle(text, key));
            assertThrows(PanolmException.class, () -> Session.fromPickle(text, key));
            assertThrows(PanolmException.class, () -> PkDecryption.fromPickle(text, key));
        }
    }
}
