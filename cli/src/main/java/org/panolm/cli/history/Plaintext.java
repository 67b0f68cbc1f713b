package org.panolm.cli.history;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.Json;

/**
 * A decrypted payload: a JSON object with a string {@code type} and an object {@code content}. Read from the
 * decryptor's bytes in one streaming pass that checks what the strict tree reader checks (valid JSON, no
 * duplicate field, nesting bounded, nothing after the value) without building a tree: when the content is
 * printable ASCII on one line, the output carries its bytes as they are ({@link RawJson}) — the same JSON
 * value the tree would write, with no character a terminal obeys, since every other character is escaped
 * in it already. Anything else (non-ASCII, DEL, line breaks) is written through the tree and the command's
 * escapes, as before. The tree is built only when asked for.
 */
public final class Plaintext {
    private final byte[] json;
    private final String type;
    private final int contentFrom;
    private final int contentTo;
    /** The content's bytes can be written as they are. */
    private final boolean verbatim;
    private ObjectNode tree;

    private Plaintext(byte[] json, String type, int contentFrom, int contentTo, boolean verbatim, ObjectNode tree) {
        this.json = json;
        this.type = type;
        this.contentFrom = contentFrom;
        this.contentTo = contentTo;
        this.verbatim = verbatim;
        this.tree = tree;
    }

    /** Why bytes are no payload; the sentences of the strict tree reader's path. */
    public static final class NotAPayload extends Exception {
        private final String reason;

        NotAPayload(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }

        /** @return the sentence an output line carries (it names no content) */
        public String reason() {
            return reason;
        }
    }

    /**
     * A payload already parsed (it must have a string {@code type} and an object {@code content}).
     *
     * @param tree the payload
     * @return it, written through the tree
     * @throws IllegalArgumentException if it is not a payload
     */
    public static Plaintext of(ObjectNode tree) {
        if (!tree.path("type").isTextual() || !tree.path("content").isObject()) {
            throw new IllegalArgumentException("a payload needs a string type and an object content");
        }
        return new Plaintext(null, tree.get("type").textValue(), 0, 0, false, tree);
    }

    /**
     * Reads a payload from {@code length} bytes at {@code offset} (copied: the array may be reused).
     *
     * @throws NotAPayload if the bytes are not valid JSON, or not an object with a string type and an object content
     */
    public static Plaintext parse(byte[] bytes, int offset, int length) throws NotAPayload {
        byte[] json = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        String type = null;
        int contentFrom = -1;
        int contentTo = -1;
        boolean typeSeen = false;
        try (JsonParser p = Json.factory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject();
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(name)) {
                    typeSeen = true;
                    type = value == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if ("content".equals(name) && value == JsonToken.START_OBJECT) {
                    contentFrom = Math.toIntExact(p.currentTokenLocation().getByteOffset());
                    skip(p);
                    contentTo = Math.toIntExact(p.currentLocation().getByteOffset());
                } else if ("content".equals(name)) {
                    contentFrom = -1;
                    skip(p);
                } else {
                    skip(p);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new NotAPayload("the decrypted payload is not valid JSON");
            }
            if (p.nextToken() != null) {
                throw new NotAPayload("the decrypted payload is not valid JSON");
            }
        } catch (JsonProcessingException e) {
            throw new NotAPayload("the decrypted payload is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an array cannot fail to read
        }
        if (!typeSeen || type == null || contentFrom < 0 || contentTo <= contentFrom || contentTo > json.length
                || json[contentFrom] != '{' || json[contentTo - 1] != '}') {
            throw notAnObject();
        }
        return new Plaintext(json, type, contentFrom, contentTo, printableAscii(json, contentFrom, contentTo), null);
    }

    private static NotAPayload notAnObject() {
        return new NotAPayload("the decrypted payload is not an object with a string type and an object content");
    }

    /** Past the value just read (a container's tokens are each read, so each is checked). */
    private static void skip(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        int depth = 1;
        while (depth > 0) {
            JsonToken n = p.nextToken();
            if (n == null) {
                throw new JsonProcessingException("the input ends inside a value") {};
            }
            if (n == JsonToken.START_OBJECT || n == JsonToken.START_ARRAY) {
                depth++;
            } else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    /** Space to {@code ~}: no control character, no line break, no DEL, nothing outside ASCII. */
    private static boolean printableAscii(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int c = b[i];
            if (c < 0x20 || c == 0x7f) { // negative: not ASCII
                return false;
            }
        }
        return true;
    }

    /** @return the payload's {@code type} */
    public String type() {
        return type;
    }

    /** @return the payload as a tree (parsed on first use when it was read from bytes) */
    public ObjectNode tree() {
        if (tree == null) {
            try {
                tree = (ObjectNode) Json.STRICT_READER.readTree(json);
            } catch (IOException e) {
                throw new IllegalStateException("a payload read once did not read again", e);
            }
        }
        return tree;
    }

    /** Writes the {@code content} value: its bytes when they can go as they are, else through the tree. */
    void writeContent(JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (verbatim) {
            gen.writeRawValue(new RawJson(json, contentFrom, contentTo - contentFrom));
        } else {
            JsonNode content = tree().get("content");
            content.serialize(gen, provider);
        }
    }
}
