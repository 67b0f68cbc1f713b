package org.panolm.backup;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The batch's base64 encoder against the JDK's, for every tail length and a scratch array that must grow. */
class UnpaddedBase64Test {

    @Test
    void matchesTheJdkEncoderWithoutPadding() {
        Random random = new Random(20261123);
        UnpaddedBase64 encoder = new UnpaddedBase64();
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = new byte[3000];
            random.nextBytes(bytes);
            MemorySegment segment = arena.allocateFrom(JAVA_BYTE, bytes);
            for (int length : new int[] {0, 1, 2, 3, 4, 5, 8, 31, 32, 33, 47, 48, 496, 1023, 1024, 1025, 2999}) {
                int offset = 3000 - length == 0 ? 0 : random.nextInt(3000 - length);
                String want = Base64.getEncoder().withoutPadding()
                        .encodeToString(Arrays.copyOfRange(bytes, offset, offset + length));
                assertEquals(want, encoder.encode(segment, offset, length), "length " + length);
            }
        }
    }
}
