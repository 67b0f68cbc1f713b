package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MediaTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    @Test
    void uploadThenAuthenticatedDownload() {
        Client alice = Client.register(SERVER.server().baseUrl(), "media", "pw");
        byte[] bytes = new byte[300_000];
        new java.util.Random(7).nextBytes(bytes);
        var up = alice.send("POST", "/_matrix/media/v3/upload?filename=" + Client.enc("voice note.ogg"), bytes,
                "application/octet-stream");
        String uri = alice.ok(up).path("content_uri").asString();
        assertTrue(uri.startsWith("mxc://localhost/"), uri);
        String path = "/_matrix/client/v1/media/download/" + uri.substring("mxc://".length());
        var down = alice.get(path);
        assertEquals(200, down.status());
        assertArrayEquals(bytes, down.raw());
        assertEquals("application/octet-stream", down.http().headers().firstValue("content-type").orElse(""));
        assertTrue(down.http().headers().firstValue("content-disposition").orElse("").contains("voice%20note.ogg"));
        assertArrayEquals(bytes, alice.get(path + "/renamed.bin").raw());

        var anon = new Client(SERVER.server().baseUrl()).get(path);
        assertEquals(401, anon.status());
        assertEquals(404, alice.get("/_matrix/client/v1/media/download/localhost/nothing").status());
        assertEquals(404, alice.get("/_matrix/client/v1/media/download/elsewhere.org/" + uri.substring(
                uri.lastIndexOf('/') + 1)).status());
        assertTrue(alice.ok(alice.get("/_matrix/client/v1/media/config")).path("m.upload.size").asLong() > 0);
    }
}
