package org.panolm.cli.keys;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;

import org.panolm.cli.Json;
import org.panolm.export.ExportedRoomKey;

/**
 * Writes room keys as a plain JSON array (what an export file holds once decrypted), one at a time, so a
 * million keys never sit in memory together. The output is plaintext key material.
 */
public final class KeyListWriter implements AutoCloseable {
    private final JsonGenerator gen;
    private long count;

    public KeyListWriter(OutputStream out) throws IOException {
        gen = Json.factory().createGenerator(out);
        gen.writeStartArray();
    }

    public void write(ExportedRoomKey key) throws IOException {
        Json.MAPPER.writeValue(gen, key);
        count++;
    }

    public long count() {
        return count;
    }

    /** Ends the array; the stream stays open for its owner. */
    @Override
    public void close() throws IOException {
        gen.writeEndArray();
        gen.writeRaw('\n');
        gen.flush();
    }
}
