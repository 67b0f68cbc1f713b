package org.panolm.cli.keys;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.util.TokenBuffer;

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
    /** One provider for the writer's life, and the last provenance as JSON: a restore gives every key the same. */
    private final SerializerProvider provider = Json.MAPPER.getSerializerProviderInstance();
    private KeyProvenance lastProvenance;
    private JsonNode lastProvenanceJson;

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
            // The key's own fields as its serializer writes them, then the extra field, with no tree between.
            TokenBuffer fields = new TokenBuffer(Json.MAPPER, false);
            Json.MAPPER.writeValue(fields, key);
            try (JsonParser p = fields.asParser()) {
                p.nextToken(); // the key's START_OBJECT
                gen.writeStartObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    gen.copyCurrentStructure(p);
                }
            }
            gen.writeFieldName(RoomKeyExport.PROVENANCE_FIELD);
            provenanceJson(provenance).serialize(gen, provider);
            gen.writeEndObject();
        }
        count++;
    }

    private JsonNode provenanceJson(KeyProvenance provenance) {
        if (!provenance.equals(lastProvenance)) {
            lastProvenanceJson = Json.MAPPER.valueToTree(provenance);
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
