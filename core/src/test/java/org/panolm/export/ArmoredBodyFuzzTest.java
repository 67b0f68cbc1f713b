package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** The export armour, which reads untrusted files before any MAC can be checked. */
class ArmoredBodyFuzzTest {
    /** Any input either yields bytes or fails with a precise export-file error; nothing else escapes. */
    @FuzzTest(maxDuration = "30s")
    void readerFailsOnlyWithExportErrors(byte[] input) throws IOException {
        try (ArmoredBodyReader reader = new ArmoredBodyReader(new ByteArrayInputStream(input))) {
            reader.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (RoomKeyExportException expected) {
            // header, footer or base64: the reasons the reader reports
        }
    }

    /** Whatever the writer armours, the reader gives back exactly, whatever the length. */
    @FuzzTest(maxDuration = "30s")
    void writerAndReaderRoundTrip(byte[] body) throws IOException {
        var out = new ByteArrayOutputStream();
        ArmoredBodyWriter writer = new ArmoredBodyWriter(out);
        writer.write(body, 0, body.length);
        writer.finish();
        try (ArmoredBodyReader reader = new ArmoredBodyReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertArrayEquals(body, reader.readAllBytes());
        }
    }
}
