package org.panolm.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A request the engine wants sent. The caller sends it with any HTTP client and reports the response with
 * {@link OlmMachine#markRequestSent}. Requests come from one queue ({@link OlmMachine#outgoingRequests()}), in the
 * order they must be sent.
 *
 * @param id the request id (unique; reported back with the response)
 * @param body the body, a record of the spec's JSON
 */
public record OutgoingRequest(String id, RequestBody body) {
    /** Checks the fields are given. */
    public OutgoingRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
    }

    /**
     * What the request does.
     *
     * @return its type
     */
    public RequestType type() {
        return body.type();
    }

    /**
     * The HTTP method.
     *
     * @return the method
     */
    public String method() {
        return type().method();
    }

    /**
     * The path to send it to, path parameters filled in and escaped.
     *
     * @return the path, from {@code /_matrix}
     */
    public String path() {
        if (body instanceof ToDeviceRequest t) {
            return "/_matrix/client/v3/sendToDevice/" + URLEncoder.encode(t.eventType(), StandardCharsets.UTF_8)
                    .replace("+", "%20") + "/" + URLEncoder.encode(t.txnId(), StandardCharsets.UTF_8);
        }
        return type().pathTemplate();
    }

    /**
     * The body as JSON, exactly as the spec gives it for the endpoint.
     *
     * @return the JSON text
     */
    public String bodyJson() {
        return EngineJson.body(body);
    }
}
