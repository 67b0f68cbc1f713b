package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixHandler;
import org.panolm.testkit.http.Reply;

/** The spec check itself: a broken response is caught and fails the test; a broken request gets 400. */
class ValidationTest {
    /** A server whose /versions answers without the required list, and whose whoami throws. */
    private static TestHomeserver.Builder broken() {
        return TestHomeserver.builder().wrapRoutes(real -> (MatrixHandler.Routes) (op, call) -> switch (op) {
            case "getVersions" -> Reply.ok(Json.object().put("versions", "v1.1 (not a list)"));
            case "getTokenOwner" -> throw new IllegalStateException("a bug");
            default -> real.route(op, call);
        });
    }

    @Test
    void aResponseThatFailsItsSchemaIsRecorded() {
        try (TestHomeserver server = broken().start()) {
            Client c = new Client(server.baseUrl());
            assertEquals(200, c.get("/_matrix/client/versions").status(), "the response is still sent");
            var violations = server.violations();
            assertEquals(1, violations.size(), violations.toString());
            SpecViolation v = violations.getFirst();
            assertEquals(SpecViolation.Direction.RESPONSE, v.direction());
            assertEquals(200, v.status());
            assertTrue(v.schema().startsWith("api/client-server/versions.yaml#"), v.schema());
            assertTrue(v.errors().toString().contains("versions"), v.errors().toString());
            AssertionError e = assertThrows(AssertionError.class, server::assertNoViolations);
            assertTrue(e.getMessage().contains("/_matrix/client/versions"));
        }
    }

    @Test
    void anEndpointThatThrowsIsA500AndAViolation() {
        try (TestHomeserver server = broken().start()) {
            Client alice = Client.register(server.baseUrl(), "a", "pw");
            var r = alice.get("/_matrix/client/v3/account/whoami");
            assertEquals(500, r.status());
            assertEquals("M_UNKNOWN", r.errcode());
            assertEquals(1, server.violations().size());
        }
    }

    @Test
    void theJUnitExtensionFailsTheTestThatCausedAViolation() throws Exception {
        TestHomeserverExtension ext = new TestHomeserverExtension(broken());
        ext.beforeAll(null);
        try {
            Client c = new Client(ext.server().baseUrl());
            c.get("/_matrix/client/v3/login");
            ext.afterEach(null); // clean so far
            c.get("/_matrix/client/versions");
            AssertionError e = assertThrows(AssertionError.class, () -> ext.afterEach(null));
            assertTrue(e.getMessage().contains("failed the Matrix spec"), e.getMessage());
            ext.afterEach(null); // each violation fails one test only
        } finally {
            ext.afterAll(null);
        }
    }

    @Test
    void aRequestThatFailsItsSchemaGets400AndIsRecordedAsTheClients() {
        try (TestHomeserver server = TestHomeserver.start()) {
            Client alice = Client.register(server.baseUrl(), "a", "pw");
            var r = alice.post("/_matrix/client/v3/keys/claim", "{\"one_time_keys\":\"everything\"}");
            assertEquals(400, r.status());
            assertEquals("M_BAD_JSON", r.errcode());
            assertTrue(r.json().path("error").asString().contains("keys.yaml"), r.json().toString());
            assertEquals(1, server.rejectedRequests().size());
            assertEquals(SpecViolation.Direction.REQUEST, server.rejectedRequests().getFirst().direction());
            server.assertNoViolations();
        }
    }
}
