package org.panolm.olm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.panolm.ErrorDetail;
import org.panolm.Status;
import org.panolm.libolm.error_h;

class OlmErrorTest {
    /** The libolm-named group must match libolm's own table, code by code; panolm's own start at 100. */
    @Test
    @SuppressWarnings("restricted") // reading libolm's static C strings needs their length set
    void namesMatchLibolmsErrorStrings() {
        for (OlmError error : OlmError.values()) {
            if (error == OlmError.UNKNOWN) continue;
            assertEquals(error, OlmError.fromCode(error.code()));
            if (error.code() >= 100) continue;
            MemorySegment text = error_h._olm_error_to_string(error.code()).reinterpret(64);
            // libolm's table names codes 15 and up with an "OLM_" prefix, the older ones without.
            String expected = error.code() >= 15 ? "OLM_" + error.name() : error.name();
            assertEquals(expected, text.getString(0), "code " + error.code());
        }
        assertEquals(OlmError.UNKNOWN, OlmError.fromCode(99));
        assertEquals(OlmError.UNKNOWN, OlmError.fromCode(-1));
    }

    @Test
    void exceptionCarriesBothNamesAndTheClosestStatus() {
        var e = new OlmException(OlmError.UNKNOWN_MESSAGE_INDEX, "decrypting");
        assertEquals(Status.UNKNOWN_INDEX, e.status());
        assertEquals(OlmError.UNKNOWN_MESSAGE_INDEX, e.error());
        assertEquals("UNKNOWN_INDEX: decrypting (UNKNOWN_MESSAGE_INDEX)", e.getMessage());
    }

    @Test
    void detailIsKeptAsDataWithTheErrorInItsReason() {
        var e = new OlmException(OlmError.BAD_MESSAGE_MAC, ErrorDetail.of("decrypting").withSubject("session S").withIndex(7));
        assertEquals(Status.BAD_MAC, e.status());
        assertEquals("session S", e.detail().subject());
        assertEquals(7L, e.detail().index());
        assertEquals("decrypting (BAD_MESSAGE_MAC)", e.detail().reason());
        assertEquals("BAD_MAC: session S: index 7: decrypting (BAD_MESSAGE_MAC)", e.getMessage());
    }
}
