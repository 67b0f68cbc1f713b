package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultsTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    private static int users;

    private static Client user() {
        return Client.register(SERVER.server().baseUrl(), "f" + (++users), "pw");
    }

    @Test
    void rateLimitedThenServed() {
        Client alice = user();
        int before = SERVER.server().faults().fired();
        SERVER.server().faults().on("GET", "/account/whoami$").times(2).rateLimit(Duration.ofMillis(1234));
        for (int i = 0; i < 2; i++) {
            var r = alice.get("/_matrix/client/v3/account/whoami");
            assertEquals(429, r.status());
            assertEquals("M_LIMIT_EXCEEDED", r.errcode());
            assertEquals(1234, r.json().path("retry_after_ms").asLong());
            assertEquals("2", r.http().headers().firstValue("retry-after").orElse(""));
        }
        alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
        assertEquals(before + 2, SERVER.server().faults().fired());
    }

    @Test
    void serverErrorsOnlyWhereAsked() {
        Client alice = user();
        SERVER.server().faults().on("GET", "/sync").times(1).fail(502);
        alice.ok(alice.get("/_matrix/client/v3/account/whoami")); // another path: untouched
        var r = alice.get("/_matrix/client/v3/sync");
        assertEquals(502, r.status());
        assertEquals("M_UNKNOWN", r.errcode());
        alice.ok(alice.get("/_matrix/client/v3/sync"));
        assertThrows(IllegalArgumentException.class, () -> SERVER.server().faults().on(null, "x").fail(404));
    }

    @Test
    void droppedConnectionsAndSlowResponses() {
        Client alice = user();
        SERVER.server().faults().on(null, "/keys/query").times(1).drop();
        assertThrows(java.io.UncheckedIOException.class, () -> alice.post("/_matrix/client/v3/keys/query",
                "{\"device_keys\":{}}"));
        alice.ok(alice.post("/_matrix/client/v3/keys/query", "{\"device_keys\":{}}"));

        SERVER.server().faults().on("GET", "/devices$").always().delay(Duration.ofMillis(300));
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            alice.ok(alice.get("/_matrix/client/v3/devices"));
            assertTrue(System.nanoTime() - start >= 300_000_000L, "the response came after the delay");
        }
        SERVER.server().faults().clear();
        long start = System.nanoTime();
        alice.ok(alice.get("/_matrix/client/v3/devices"));
        assertTrue(System.nanoTime() - start < 300_000_000L, "cleared");
    }

    @Test
    void aRealRateLimitPerAccessToken() {
        Client alice = user();
        Client bob = user();
        SERVER.server().faults().limitRate(3, Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
        }
        var limited = alice.get("/_matrix/client/v3/account/whoami");
        assertEquals(429, limited.status());
        long retry = limited.json().path("retry_after_ms").asLong();
        assertTrue(retry > 0 && retry <= 30_000, "retry_after_ms " + retry);
        bob.ok(bob.get("/_matrix/client/v3/account/whoami")); // another token has its own budget
        SERVER.server().faults().limitRate(0, Duration.ofSeconds(1));
        alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
    }

    @Test
    void theAdminEndpointSwitchesFaultsOutOfProcess() {
        Client alice = user();
        Client admin = new Client(SERVER.server().baseUrl());
        admin.ok(admin.post("/_testkit/faults", """
                {"method":"GET","path":"/account/whoami","times":1,"kind":"error","status":503}"""));
        assertEquals(503, alice.get("/_matrix/client/v3/account/whoami").status());
        admin.ok(admin.post("/_testkit/faults", """
                {"path":"/account/whoami","times":0,"kind":"rate_limit","retry_after_ms":10}"""));
        assertEquals(429, alice.get("/_matrix/client/v3/account/whoami").status());
        assertEquals(429, alice.get("/_matrix/client/v3/account/whoami").status());
        admin.ok(admin.delete("/_testkit/faults"));
        alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
        admin.ok(admin.post("/_testkit/rate_limit", "{\"requests\":1,\"window_ms\":60000}"));
        alice.ok(alice.get("/_matrix/client/v3/account/whoami"));
        assertEquals(429, alice.get("/_matrix/client/v3/account/whoami").status());
        admin.ok(admin.delete("/_testkit/faults"));
        assertEquals(400, admin.post("/_testkit/faults", "{\"kind\":\"explode\"}").status());
        assertTrue(admin.ok(admin.get("/_testkit/violations")).isArray());
    }
}
