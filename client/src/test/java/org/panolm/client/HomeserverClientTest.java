package org.panolm.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.panolm.testkit.TestHomeserverExtension;
import org.panolm.testsupport.Peers;

class HomeserverClientTest {
    @RegisterExtension
    static final TestHomeserverExtension SERVER = new TestHomeserverExtension();

    /** Every request the client sent passed the spec's schemas (the server's own answers are checked by the extension). */
    @org.junit.jupiter.api.AfterEach
    void noRequestWasRejectedBySpec() {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), SERVER.server().rejectedRequests());
    }

    static final RetryPolicy QUICK = new RetryPolicy(4, Duration.ofMillis(20), Duration.ofSeconds(2));
    private static int users;

    static HomeserverClient newClient(RetryPolicy policy) {
        return HomeserverClient.builder(SERVER.server().baseUrl()).retryPolicy(policy)
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    static HomeserverClient registered(String prefix) {
        HomeserverClient c = newClient(QUICK);
        c.register(prefix + (++users), "pw".toCharArray(), "test device");
        return c;
    }

    @Test
    void registerLoginWhoamiLogout() {
        try (HomeserverClient alice = registered("hc")) {
            Credentials first = alice.requireCredentials();
            WhoAmI me = alice.whoami();
            assertEquals(first.userId(), me.userId());
            assertEquals(first.deviceId(), me.deviceId());

            try (HomeserverClient again = newClient(QUICK)) {
                Credentials second = again.login(first.userId(), "pw".toCharArray(), "second");
                assertEquals(first.userId(), second.userId());
                assertNotEquals(first.deviceId(), second.deviceId());
                again.logout();
                assertTrue(again.credentials().isEmpty());
            }
            // A resumed session works without a new login; a logged-out one fails with M_UNKNOWN_TOKEN.
            try (HomeserverClient resumed = HomeserverClient.builder(SERVER.server().baseUrl())
                    .credentials(first).build()) {
                assertEquals(first.deviceId(), resumed.whoami().deviceId());
                resumed.logout();
            }
            MatrixApiException e = assertThrows(MatrixApiException.class, alice::whoami);
            assertEquals(401, e.status());
            assertTrue(e.is("M_UNKNOWN_TOKEN"), e.getMessage());
            assertEquals("GET /_matrix/client/v3/account/whoami", e.endpoint());
        }
    }

    @Test
    void wrongPasswordIsForbiddenAndNotRetried() {
        try (HomeserverClient alice = registered("hc"); HomeserverClient other = newClient(QUICK)) {
            MatrixApiException e = assertThrows(MatrixApiException.class,
                    () -> other.login(alice.requireCredentials().userId(), "wrong".toCharArray(), null));
            assertEquals(403, e.status());
            assertTrue(e.is("M_FORBIDDEN"));
        }
    }

    @Test
    void rateLimitIsRetriedAfterWhatTheServerAsks() {
        try (HomeserverClient alice = registered("hc")) {
            int before = SERVER.server().faults().fired();
            SERVER.server().faults().on("GET", "/account/whoami$").times(2).rateLimit(Duration.ofMillis(300));
            long start = System.nanoTime();
            assertEquals(alice.requireCredentials().userId(), alice.whoami().userId());
            assertTrue(System.nanoTime() - start >= 600_000_000L, "waited retry_after_ms twice");
            assertEquals(before + 2, SERVER.server().faults().fired());
        }
    }

    @Test
    void serverErrorsAreRetriedThenGivenUp() {
        try (HomeserverClient alice = registered("hc")) {
            SERVER.server().faults().on("GET", "/account/whoami$").times(2).fail(502);
            assertEquals(alice.requireCredentials().userId(), alice.whoami().userId());

            int before = SERVER.server().faults().fired();
            SERVER.server().faults().on("GET", "/account/whoami$").always().fail(503);
            MatrixApiException e = assertThrows(MatrixApiException.class, alice::whoami);
            assertEquals(503, e.status());
            assertEquals(MatrixApiException.Kind.HTTP_ERROR, e.kind());
            assertEquals(before + QUICK.maxAttempts(), SERVER.server().faults().fired(), "exactly maxAttempts");
            SERVER.server().faults().clear();
        }
    }

    @Test
    void clientErrorsAreNotRetried() {
        try (HomeserverClient alice = registered("hc")) {
            MatrixApiException e = assertThrows(MatrixApiException.class,
                    () -> alice.get("/_matrix/client/v3/room_keys/version", JsonNode.class));
            assertEquals(404, e.status());
            assertTrue(e.is("M_NOT_FOUND"));
        }
    }

    @Test
    void aDroppedConnectionIsRetriedForAGetButNotForAPost() {
        try (HomeserverClient alice = registered("hc")) {
            SERVER.server().faults().on("GET", "/devices$").times(1).drop();
            assertTrue(alice.get("/_matrix/client/v3/devices", JsonNode.class).has("devices"));

            SERVER.server().faults().on("POST", "/keys/query$").times(1).drop();
            MatrixApiException e = assertThrows(MatrixApiException.class, () -> alice.post(
                    "/_matrix/client/v3/keys/query", Peers.JSON.createObjectNode().putObject("device_keys"),
                    JsonNode.class));
            assertEquals(MatrixApiException.Kind.TRANSPORT, e.kind());
        }
    }

    @Test
    void aSlowAnswerTimesOut() {
        try (HomeserverClient alice = registered("hc");
             HomeserverClient impatient = HomeserverClient.builder(SERVER.server().baseUrl())
                     .credentials(alice.requireCredentials()).retryPolicy(RetryPolicy.NONE)
                     .requestTimeout(Duration.ofMillis(300)).build()) {
            SERVER.server().faults().on("GET", "/account/whoami$").times(1).delay(Duration.ofSeconds(2));
            MatrixApiException e = assertThrows(MatrixApiException.class, impatient::whoami);
            assertEquals(MatrixApiException.Kind.TIMEOUT, e.kind());
        }
    }

    @Test
    void cancellingStopsTheCallAndEveryRetry() throws Exception {
        try (HomeserverClient alice = registered("hc")) {
            int before = SERVER.server().faults().fired();
            SERVER.server().faults().on("GET", "/account/whoami$").always().rateLimit(Duration.ofSeconds(5));
            AtomicReference<Thread> worker = new AtomicReference<>();
            CompletableFuture<WhoAmI> f = alice.async(() -> {
                worker.set(Thread.currentThread());
                return alice.whoami();
            });
            Thread.sleep(300);
            assertTrue(f.cancel(true));
            Thread.sleep(300);
            assertFalse(worker.get().isAlive(), "the worker stopped");
            assertEquals(before + 1, SERVER.server().faults().fired(), "no attempt after the cancellation");
            SERVER.server().faults().clear();

            // A blocking call interrupted mid-request stops with a CancellationException.
            SERVER.server().faults().on("GET", "/account/whoami$").times(1).delay(Duration.ofSeconds(5));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    alice.whoami();
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            Thread.sleep(300);
            long start = System.nanoTime();
            t.interrupt();
            t.join(Duration.ofSeconds(3));
            assertFalse(t.isAlive());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            assertTrue(thrown.get() instanceof CancellationException, String.valueOf(thrown.get()));
        }
    }

    @Test
    void theAccessTokenIsNeverLoggedNorInAnError() {
        Logger jul = Logger.getLogger("org.panolm.client");
        java.util.logging.Level old = jul.getLevel();
        List<String> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + r.getThrown());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.setLevel(java.util.logging.Level.ALL);
        jul.addHandler(capture);
        List<String> texts = new ArrayList<>();
        String token;
        try (HomeserverClient alice = registered("hc")) {
            Credentials c = alice.requireCredentials();
            token = c.accessToken().revealForStorage();
            texts.add(c.toString());
            texts.add(c.accessToken().toString());
            texts.add(alice.toString());
            SERVER.server().faults().on("GET", "/account/whoami$").times(1).rateLimit(Duration.ofMillis(10));
            SERVER.server().faults().on("GET", "/account/whoami$").times(1).fail(500);
            alice.whoami();
            SERVER.server().faults().on("GET", "/devices$").always().fail(502);
            MatrixApiException e = assertThrows(MatrixApiException.class,
                    () -> alice.get("/_matrix/client/v3/devices", JsonNode.class));
            SERVER.server().faults().clear();
            texts.add(e.getMessage());
            texts.add(String.valueOf(e.body().orElse(null)));
            alice.logout();
            try (HomeserverClient stale = HomeserverClient.builder(SERVER.server().baseUrl()).credentials(c).build()) {
                MatrixApiException unknown = assertThrows(MatrixApiException.class, stale::whoami);
                texts.add(unknown.getMessage());
                texts.add(String.valueOf(unknown.body().orElse(null)));
            }
        } finally {
            jul.removeHandler(capture);
            jul.setLevel(old);
        }
        assertTrue(logged.size() >= 6, "requests and retries were logged: " + logged);
        assertTrue(logged.stream().anyMatch(l -> l.contains("attempt 2")), "a retry was logged");
        assertTrue(logged.stream().anyMatch(l -> l.contains("HTTP_2")), "requests went over HTTP/2: " + logged);
        for (String s : logged) assertFalse(s.contains(token), "token in a log record: " + s);
        for (String s : texts) assertFalse(s.contains(token), "token in a message: " + s);
    }
}
