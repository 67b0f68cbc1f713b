package org.panolm.megolm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** The two structs of {@code panolm_megolm.h} that cross the batch call, field for field. */
final class BatchLayout {
    private BatchLayout() {}

    /** {@code panolm_megolm_batch_message}. */
    static final StructLayout MESSAGE = MemoryLayout.structLayout(
            JAVA_LONG.withName("ciphertext_offset"),
            JAVA_LONG.withName("event_id_offset"),
            JAVA_LONG.withName("room_id_offset"),
            JAVA_INT.withName("ciphertext_length"),
            JAVA_INT.withName("event_id_length"),
            JAVA_INT.withName("room_id_length"),
            JAVA_INT.withName("session"));
    static final long M_CIPHERTEXT_OFFSET = 0;
    static final long M_EVENT_ID_OFFSET = 8;
    static final long M_ROOM_ID_OFFSET = 16;
    static final long M_CIPHERTEXT_LENGTH = 24;
    static final long M_EVENT_ID_LENGTH = 28;
    static final long M_ROOM_ID_LENGTH = 32;
    static final long M_SESSION = 36;

    /** {@code panolm_megolm_batch_result}. */
    static final StructLayout RESULT = MemoryLayout.structLayout(
            JAVA_LONG.withName("plaintext_offset"),
            JAVA_INT.withName("plaintext_length"),
            JAVA_INT.withName("message_index"),
            JAVA_INT.withName("status"),
            JAVA_INT.withName("reserved"));
    static final long R_PLAINTEXT_OFFSET = 0;
    static final long R_PLAINTEXT_LENGTH = 8;
    static final long R_MESSAGE_INDEX = 12;
    static final long R_STATUS = 16;

    static {
        if (MESSAGE.byteSize() != 40 || RESULT.byteSize() != 24
                || MESSAGE.byteOffset(MemoryLayout.PathElement.groupElement("session")) != M_SESSION
                || RESULT.byteOffset(MemoryLayout.PathElement.groupElement("status")) != R_STATUS) {
            throw new AssertionError("batch struct layout differs from panolm_megolm.h");
        }
    }

    /** Upper bound of a plaintext from a base64 message of that length (as the C library computes it). */
    static long plaintextBound(long base64Length) {
        return base64Length / 4 * 3 + 2;
    }
}
