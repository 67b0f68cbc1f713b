package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;

/** Damaged input reaches libolm only as a PanolmException: every prefix, every single-byte change, random bytes. */
class LibolmRobustnessTest {
    @Test
    void everyPrefixAndEveryByteFlipOfAMessageIsRefused() {
        try (LibolmOutboundGroupSession out = LibolmOutboundGroupSession.create();
             LibolmInboundGroupSession in = LibolmInboundGroupSession.create(out.sessionKey())) {
            byte[] message = out.encrypt("a message of some length".getBytes(StandardCharsets.UTF_8));
            for (int n = 1; n < message.length; n++) {
                byte[] prefix = Arrays.copyOf(message, n);
                assertThrows(PanolmException.class, () -> in.decrypt(prefix), "prefix " + n);
            }
            for (int i = 0; i < message.length; i++) {
                byte[] flipped = message.clone();
                flipped[i] ^= 0x40;
                assertThrows(PanolmException.class, () -> in.decrypt(flipped), "byte " + i);
            }
            assertEquals(0, in.decrypt(message).messageIndex());
        }
    }

    @Test
    void randomBytesAsMessagesKeysAndPickles() {
        Random random = new Random(2);
        try (LibolmOutboundGroupSession out = LibolmOutboundGroupSession.create();
             LibolmInboundGroupSession in = LibolmInboundGroupSession.create(out.sessionKey())) {
            for (int k = 0; k < 300; k++) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                if (k % 3 == 0) junk[0] = 3; // get past the version check
                assertThrows(PanolmException.class, () -> in.decrypt(junk));
            }
        }
        for (int k = 0; k < 100; k++) {
            byte[] key = new byte[SessionKey.LENGTH];
            random.nextBytes(key);
            key[0] = SessionKey.VERSION;
            assertThrows(PanolmException.class, () -> LibolmInboundGroupSession.create(new SessionKey(key)));
            byte[] pickle = new byte[1 + random.nextInt(400)];
            random.nextBytes(pickle);
            String text = java.util.Base64.getEncoder().withoutPadding().encodeToString(pickle);
            assertThrows(PanolmException.class, () -> LibolmInboundGroupSession.fromPickle(text, new byte[] {1}));
            assertThrows(PanolmException.class, () -> LibolmOutboundGroupSession.fromPickle(text, new byte[] {1}));
        }
    }
}
