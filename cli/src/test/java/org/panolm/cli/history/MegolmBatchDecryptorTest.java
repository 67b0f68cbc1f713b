package org.panolm.cli.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import org.panolm.Status;
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
}
