package org.panolm.testkit.http;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * One request, as an endpoint sees it.
 *
 * @param method the HTTP method
 * @param path the request path, still encoded
 * @param pathParams the spec's path parameters, decoded
 * @param query the query parameters, decoded
 * @param accessToken the bearer token (header or {@code access_token} parameter), or {@code null}
 * @param contentType the request's content type, or {@code null}
 * @param raw the raw body
 * @param json the body as JSON ({@code null} when it is not a JSON request)
 */
public record Call(String method, String path, Map<String, String> pathParams, Map<String, List<String>> query,
        String accessToken, String contentType, byte[] raw, JsonNode json) {

    /** A path parameter the spec declares. */
    public String param(String name) {
        return pathParams.get(name);
    }

    /** A query parameter, or {@code null}. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    /** A required query parameter: missing is {@code M_MISSING_PARAM}. */
    public String requiredQuery(String name) {
        String v = query(name);
        if (v == null) {
            throw MatrixError.missingParam("missing query parameter " + name);
        }
        return v;
    }

    /** A non-negative integer query parameter. */
    public long longQuery(String name, long fallback) {
        String v = query(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw MatrixError.invalidParam(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw MatrixError.invalidParam(name + " is not an integer: " + v);
        }
    }

    /** The JSON body; a request without one is {@code M_NOT_JSON}. */
    public JsonNode body() {
        if (json == null) {
            throw MatrixError.notJson("this endpoint takes a JSON body");
        }
        return json;
    }
}
