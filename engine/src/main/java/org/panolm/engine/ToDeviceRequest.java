package org.panolm.engine;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code PUT /sendToDevice/{eventType}/{txnId}}, with the two path parameters beside it (they are not
 * part of the JSON).
 *
 * @param eventType the event type (a path parameter)
 * @param txnId the transaction id (a path parameter; the request id, so a resend is idempotent)
 * @param messages by user, by device, the event content
 */
public record ToDeviceRequest(@JsonIgnore String eventType, @JsonIgnore String txnId,
                              @JsonProperty("messages") Map<String, Map<String, JsonNode>> messages)
        implements RequestBody {
    /** Copies the map. */
    public ToDeviceRequest {
        messages = Map.copyOf(messages);
    }

    @JsonIgnore
    @Override
    public RequestType type() {
        return RequestType.TO_DEVICE;
    }
}
