package org.panolm.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.subtle.Ed25519;

/** The Jackson-free forms of canonical JSON and signing: JSON text and maps of Java values. */
class JsonSigningTextApiTest {
    private static final byte[] SEED = new byte[32];

    @Test
    void textAndMapFormsSignTheSameBytes() {
        String json = "{\"b\":[1,true,null],\"a\":\"\u00e9\",\"unsigned\":{\"x\":1}}";
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", java.util.Arrays.asList(1, true, null));
        map.put("a", "\u00e9");
        map.put("unsigned", Map.of("x", 1));
        assertEquals("{\"a\":\"\u00e9\",\"b\":[1,true,null],\"unsigned\":{\"x\":1}}", CanonicalJson.canonicalize(json));
        assertArrayEquals(CanonicalJson.encode(json), CanonicalJson.encode(map));
        assertArrayEquals(CanonicalJson.encode(json), CanonicalJson.encode(json.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals("{\"a\":\"\u00e9\",\"b\":[1,true,null]}".getBytes(StandardCharsets.UTF_8), JsonSigning.signedBytes(json));
        assertArrayEquals(JsonSigning.signedBytes(json), JsonSigning.signedBytes(map));

        byte[] pub = Ed25519.publicKey(SEED);
        String signed = JsonSigning.sign(json, "@a:x", "DEV", SEED);
        assertTrue(JsonSigning.isSignedBy(signed, "@a:x", "DEV", pub));
        assertFalse(JsonSigning.isSignedBy(signed, "@a:x", "OTHER", pub));
        Map<String, Object> signedMap = JsonSigning.sign(map, "@a:x", "DEV", SEED);
        assertTrue(JsonSigning.isSignedBy(signedMap, "@a:x", "DEV", pub));
        assertEquals(JsonSigning.signature(json, SEED),
                ((Map<?, ?>) ((Map<?, ?>) signedMap.get(JsonSigning.SIGNATURES)).get("@a:x")).get("ed25519:DEV"));
        assertFalse(map.containsKey(JsonSigning.SIGNATURES), "the argument map is not modified");
    }

    @Test
    void tamperedOrMalformedTextFailsAsData() {
        byte[] pub = Ed25519.publicKey(SEED);
        String signed = JsonSigning.sign("{\"a\":1}", "@a:x", "DEV", SEED);
        String tampered = signed.replace("\"a\":1", "\"a\":2");
        assertEquals(Status.BAD_SIGNATURE, assertThrows(PanolmException.class,
                () -> JsonSigning.verify(tampered, "@a:x", "DEV", pub)).status());
        for (String bad : List.of("[1]", "{\"a\":1,\"a\":2}", "{", "{\"a\":1.5}")) {
            assertFalse(JsonSigning.isSignedBy(bad, "@a:x", "DEV", pub), bad);
        }
        assertEquals(Status.BAD_MESSAGE_FORMAT, assertThrows(PanolmException.class,
                () -> JsonSigning.sign("{\"a\":1,\"a\":2}", "@a:x", "DEV", SEED)).status());
    }
}
