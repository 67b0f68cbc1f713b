package org.panolm.cli.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.panolm.Status;
import org.panolm.cli.Json;
import org.panolm.cli.keys.KeyRing;
import org.panolm.megolm.BatchResults;

/** A failed message's reason is built from the engine's failure as data, not from its exception message. */
class MegolmBatchDecryptorTest {
    @Test
    void aBatchFailureIsDescribedFromItsData() {
        Outcome.Failed mac = MegolmBatchDecryptor.failed(new BatchResults.Failure(Status.BAD_MAC, "$e", "SESSION", 3L, null));
        assertEquals("BAD_MAC", mac.code());
        assertEquals(Status.BAD_MAC.description() + " (event $e, session SESSION, message index 3)", mac.reason());
        Outcome.Failed unknown = MegolmBatchDecryptor.failed(new BatchResults.Failure(Status.UNKNOWN_SESSION, "$e", null,
                null, "event $e: no key for session X"));
        assertEquals(Status.UNKNOWN_SESSION.description() + " (event $e: no key for session X)", unknown.reason());
        Outcome.Failed bare = MegolmBatchDecryptor.failed(new BatchResults.Failure(Status.TRUNCATED, null, null, null, null));
        assertEquals(Status.TRUNCATED.description(), bare.reason());
    }

    @Test
    void aSessionWithheldByDoNotStoreIsReportedSoAndOtherUnknownSessionsAreNot() {
        try (KeyRing ring = new KeyRing(); MegolmBatchDecryptor decryptor = new MegolmBatchDecryptor(ring, 1, 4)) {
            ring.withhold("!flagged:example.org", "S1");
            List<ObjectNode> events = List.of(event("!flagged:example.org", "S1"), event("!other:example.org", "S1"),
                    event("!flagged:example.org", "S2"));
            List<Outcome> results = new ArrayList<>();
            decryptor.decrypt(events, results);
            assertEquals(new Outcome.WithheldDoNotStore("S1"), results.get(0));
            assertEquals("UNKNOWN_SESSION", ((Outcome.Failed) results.get(1)).code(), "the flag is the room's session's");
            assertEquals("UNKNOWN_SESSION", ((Outcome.Failed) results.get(2)).code());
        }
    }

    private static ObjectNode event(String room, String session) {
        ObjectNode e = Json.MAPPER.createObjectNode().put("type", "m.room.encrypted").put("event_id", "$" + room + session)
                .put("room_id", room).put("sender", "@s:example.org");
        e.putObject("content").put("algorithm", "m.megolm.v1.aes-sha2").put("session_id", session)
                .put("sender_key", "AAAA").put("ciphertext", "AwgAEgA");
        return e;
    }
}
