package org.panolm.testkit.http;

import tools.jackson.databind.JsonNode;

/**
 * A response: a status with a JSON body, or raw bytes with their content type (media downloads).
 *
 * @param status the HTTP status
 * @param json the JSON body, or {@code null} for a raw body
 * @param raw the raw body, or {@code null}
 * @param contentType the raw body's type
 * @param disposition the {@code Content-Disposition} of a raw body, or {@code null}
 */
public record Reply(int status, JsonNode json, byte[] raw, String contentType, String disposition) {

    public static Reply ok(JsonNode json) {
        return new Reply(200, json, null, null, null);
    }

    public static Reply ok() {
        return ok(Json.object());
    }

    public static Reply of(int status, JsonNode json) {
        return new Reply(status, json, null, null, null);
    }

    public static Reply bytes(byte[] raw, String contentType, String disposition) {
        return new Reply(200, null, raw, contentType, disposition);
    }
}
