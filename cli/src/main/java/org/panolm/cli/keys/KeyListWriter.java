package org.panolm.cli.keys;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.Json;
import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.megolm.KeyProvenance;

/**
 * Writes room keys as a plain JSON array (what an export file holds once decrypted), one at a time, so a
 * million keys never sit in memory together. A key's provenance, when known, goes beside it in the extra
 * field {@value RoomKeyExport#PROVENANCE_FIELD}, as in panolm's export files. The output is plaintext key
 * material.
 */
public final class KeyListWriter implements AutoCloseable {
    private final JsonGenerator gen;
    private long count;

    public KeyListWriter(OutputStream out) throws IOException {
        gen = Json.factory().createGenerator(out);
        gen.writeStartArray();
    }

    public void write(ExportedRoomKey key) throws IOException {
        write(key, null);
    }

    public void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException {
        if (provenance == null) {
            Json.MAPPER.writeValue(gen, key);
        } else {
            ObjectNode node = Json.MAPPER.valueToTree(key);
            node.set(RoomKeyExport.PROVENANCE_FIELD, Json.MAPPER.valueToTree(provenance));
            Json.MAPPER.writeTree(gen, node);
        }
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
