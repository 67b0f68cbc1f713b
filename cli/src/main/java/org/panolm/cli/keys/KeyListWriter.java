package org.panolm.cli.keys;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

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
    /** The last provenance and its JSON: a restore gives every key the same. */
    private KeyProvenance lastProvenance;
    private String lastProvenanceJson;

    public KeyListWriter(OutputStream out) throws IOException {
        gen = Json.factory().createGenerator(out);
        gen.writeStartArray();
    }

    public void write(ExportedRoomKey key) throws IOException {
        write(key, null);
    }

    public void write(ExportedRoomKey key, KeyProvenance provenance) throws IOException {
        if (provenance == null) {
            KEY.writeValue(gen, key);
        } else {
            // The key's own fields as its serializer writes them, then the extra field: one object, no copy between.
            WITH_PROVENANCE.writeValue(gen, new WithProvenance(key, provenanceJson(provenance)));
        }
        count++;
    }

    /** A key with its provenance beside its fields (unwrapped: the key's serializer writes them, as above). */
    private record WithProvenance(@JsonUnwrapped ExportedRoomKey key,
                                  @JsonProperty(RoomKeyExport.PROVENANCE_FIELD) @JsonRawValue String provenance) {}

    // Not flushed per key (a write per key): the stream is flushed when the array ends.
    private static final ObjectWriter KEY = Json.MAPPER.writerFor(ExportedRoomKey.class)
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private static final ObjectWriter WITH_PROVENANCE = Json.MAPPER.writerFor(WithProvenance.class)
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    /** The provenance as JSON text, written by the command's mapper (its escapes) once per distinct provenance. */
    private String provenanceJson(KeyProvenance provenance) throws IOException {
        if (!provenance.equals(lastProvenance)) {
            lastProvenanceJson = Json.MAPPER.writeValueAsString(provenance);
            lastProvenance = provenance;
        }
        return lastProvenanceJson;
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
