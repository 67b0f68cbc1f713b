package org.panolm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The request records hold their opaque JSON parts as text: each is checked to be one JSON object when the record
 * is made (the error names it), and the body embeds it as a JSON object, never as a quoted string.
 */
class RequestBodiesTest {
    private static final String KEY = "{\"user_id\":\"@a:example.org\",\"keys\":{\"ed25519:K\":\"K\"}}";

    @Test
    void jsonTextIsEmbeddedAsJsonObjects() {
        var toDevice = new ToDeviceRequest("m.dummy", "t1", Map.of("@b:example.org", Map.of("B", "{\"a\":1}")));
        assertEquals("{\"messages\":{\"@b:example.org\":{\"B\":{\"a\":1}}}}", new OutgoingRequest("t1", toDevice).bodyJson());
        assertEquals("/_matrix/client/v3/sendToDevice/m.dummy/t1", new OutgoingRequest("t1", toDevice).path());

        var upload = new KeysUploadRequest(KEY, Map.of("signed_curve25519:1", "{\"key\":\"k\"}"), null);
        assertEquals("{\"device_keys\":" + KEY + ",\"one_time_keys\":{\"signed_curve25519:1\":{\"key\":\"k\"}}}",
                new OutgoingRequest("u", upload).bodyJson());

        var signatures = new SignaturesUploadRequest(Map.of("@a:example.org", Map.of("K", KEY)));
        assertEquals("{\"@a:example.org\":{\"K\":" + KEY + "}}", new OutgoingRequest("s", signatures).bodyJson());

        var signing = new SigningKeysUploadRequest(KEY, KEY, KEY, null);
        assertEquals("{\"master_key\":" + KEY + ",\"self_signing_key\":" + KEY + ",\"user_signing_key\":" + KEY + "}",
                new OutgoingRequest("k", signing).bodyJson(), "no auth: the field is left out");

        var query = new KeysQueryRequest(Map.of("@b:example.org", java.util.List.of()));
        assertEquals("{\"device_keys\":{\"@b:example.org\":[]}}", new OutgoingRequest("q", query).bodyJson());
        var claim = new KeysClaimRequest(Map.of("@b:example.org", Map.of("B", "signed_curve25519")));
        assertEquals("{\"one_time_keys\":{\"@b:example.org\":{\"B\":\"signed_curve25519\"}}}",
                new OutgoingRequest("c", claim).bodyJson());
    }

    @Test
    void jsonTextThatIsNotOneObjectIsRefusedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ToDeviceRequest("m.dummy", "t",
                Map.of("@b:example.org", Map.of("B", "\"a string\""))));
        assertTrue(e.getMessage().contains("messages[@b:example.org][B]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ToDeviceRequest("m.dummy", "t",
                Map.of("@b:example.org", Map.of("B", "{\"a\":1}, \"injected\":{}"))));
        assertTrue(e.getMessage().contains("messages[@b:example.org][B]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SigningKeysUploadRequest(KEY, KEY, KEY, "[1]"));
        assertTrue(e.getMessage().contains("auth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new KeysUploadRequest("{\"a\":", null, null));
        assertTrue(e.getMessage().contains("deviceKeys"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SignaturesUploadRequest(Map.of("@a:example.org", Map.of("K", "null"))));
        assertTrue(e.getMessage().contains("signedKeys[@a:example.org][K]"), e.getMessage());
    }

    @Test
    void theAuthDictIsNeverPrinted() {
        String auth = "{\"type\":\"m.login.password\",\"password\":\"hunter2\"}";
        var signing = new SigningKeysUploadRequest(KEY, KEY, KEY, auth);
        assertFalse(signing.toString().contains("hunter2"), signing.toString());
        assertTrue(signing.toString().contains("auth=given"), signing.toString());
        assertTrue(new OutgoingRequest("k", signing).bodyJson().endsWith(",\"auth\":" + auth + "}"));
    }
}
