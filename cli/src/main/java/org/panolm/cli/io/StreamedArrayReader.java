package org.panolm.cli.io;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.cli.CliException;
import org.panolm.cli.Json;

/**
 * Streams the elements of a JSON array of events (a whole array input, or the {@code chunk} of a /messages
 * response) with Jackson's streaming parser, one element in memory at a time. An element that is not an
 * object is a malformed item; a syntax error cannot be skipped inside one JSON value, so it is fatal and
 * names the line and column.
 */
final class StreamedArrayReader implements EventReader {
    private final JsonParser parser;
    private final String name;
    private final boolean insideMessagesResponse;
    private long ordinal;
    private boolean done;

    /** @param parser positioned on the START_ARRAY token of the events array */
    StreamedArrayReader(JsonParser parser, String name, boolean insideMessagesResponse) {
        this.parser = parser;
        this.name = name;
        this.insideMessagesResponse = insideMessagesResponse;
    }

    @Override
    public InputEvent next() {
        if (done) {
            return null;
        }
        try {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.END_ARRAY) {
                finish();
                return null;
            }
            if (token == null) {
                throw new CliException(name + ": the input ends inside the events array (truncated?)");
            }
            String where = (insideMessagesResponse ? "chunk element " : "element ") + (ordinal + 1);
            JsonNode node = parser.readValueAsTree();
            if (node instanceof ObjectNode event) {
                return InputEvent.of(ordinal++, where, event, null);
            }
            return InputEvent.malformed(ordinal++, where, where + " is " + Location.describe(node) + ", not an event object");
        } catch (JsonProcessingException e) {
            throw new CliException(Location.of(name, e), e);
        } catch (IOException e) {
            throw new CliException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Checks that what follows the events array is well-formed, so a damaged input is never mistaken for a whole one. */
    private void finish() throws IOException {
        done = true;
        if (insideMessagesResponse) {
            JsonToken t;
            while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                parser.nextToken();
                parser.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                throw new CliException(name + ": the /messages response does not end after its fields");
            }
        }
        JsonToken after = parser.nextToken();
        if (after != null) {
            throw new CliException(name + " line " + parser.currentLocation().getLineNr()
                    + ": unexpected data after the end of the " + (insideMessagesResponse ? "/messages response" : "events array"));
        }
    }

    static JsonParser parser(java.io.InputStream in) throws IOException {
        return Json.factory().createParser(in);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
