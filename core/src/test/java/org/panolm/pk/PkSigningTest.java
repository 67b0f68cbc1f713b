package org.panolm.pk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.encoding.MatrixBase64;
import org.panolm.subtle.Ed25519;

/** Ed25519 through libolm's PkSigning: docs/formats.md §10.9 vectors and agreement with libsodium. */
class PkSigningTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void matrixSpecSigningVector() {
        byte[] seed = MatrixBase64.decode("YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0", "seed");
        try (PkSigning signing = PkSigning.fromSeed(seed)) {
            assertEquals("XGX0JRS2Af3be3knz2fBiRbApjm2Dh61gXDJA8kcJNI", MatrixBase64.encode(signing.publicKey()));
            assertEquals("K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ",
                    MatrixBase64.encode(signing.sign(utf8("{}"))));
            assertEquals("KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw",
                    MatrixBase64.encode(signing.sign(utf8("{\"one\":1,\"two\":\"Two\"}"))));
        }
    }

    /** matrix-js-sdk test data: the master key signs the self-signing key. */
    @Test
    void jsSdkCrossSigningVector() {
        try (PkSigning master = PkSigning.fromSeed(utf8("doyouspeakwhaaaaaaaaaaaaaaaaaale"));
             PkSigning selfSigning = PkSigning.fromSeed(utf8("selfselfselfselfselfselfselfself"))) {
            assertEquals("J+5An10v1vzZpAXTYFokD1/PEVccFnLC61EfRXit0UY", MatrixBase64.encode(master.publicKey()));
            assertEquals("aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY", MatrixBase64.encode(selfSigning.publicKey()));
            String json = "{\"keys\":{\"ed25519:aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY\":\"aU2+2CyXQTCuDcmWW0EL2bhJ6PdjFW2LbAsbHqf02AY\"},\"usage\":[\"self_signing\"],\"user_id\":\"@alice:localhost\"}";
            assertEquals("XfhYEhZmOs8BJdb3viatILBZ/bElsHXEW28V4tIaY5CxrBR0YOym3yZHWmRmypXessHZAKOhZn3yBMXzdajyCw",
                    MatrixBase64.encode(master.sign(utf8(json))));
        }
    }

    @Test
    void agreesWithLibsodiumOnRandomSeeds() {
        for (int i = 0; i < 20; i++) {
            byte[] seed = PkSigning.generateSeed();
            byte[] message = utf8("message " + i);
            try (PkSigning signing = PkSigning.fromSeed(seed)) {
                assertArrayEquals(Ed25519.publicKey(seed), signing.publicKey());
                byte[] signature = signing.sign(message);
                assertArrayEquals(Ed25519.sign(seed, message), signature);
                assertTrue(Ed25519.verify(signing.publicKey(), message, signature));
            }
        }
    }

    @Test
    void errorsAndClose() {
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> PkSigning.fromSeed(new byte[31])).status());
        assertEquals(Status.BAD_KEY, assertThrows(PanolmException.class, () -> PkSigning.fromSeed(null)).status());
        PkSigning signing = PkSigning.fromSeed(PkSigning.generateSeed());
        signing.close();
        signing.close();
        assertThrows(IllegalStateException.class, () -> signing.sign(utf8("x")));
        assertThrows(IllegalStateException.class, signing::publicKey);
        assertEquals("PkSigning[closed]", signing.toString());
    }
}
