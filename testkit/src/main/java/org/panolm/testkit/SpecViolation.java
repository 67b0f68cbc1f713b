package org.panolm.testkit;

import java.util.List;

/**
 * A body that does not match the Matrix specification.
 *
 * @param direction whether the server received it ({@link Direction#REQUEST}) or sent it
 *     ({@link Direction#RESPONSE})
 * @param method the HTTP method
 * @param path the request path
 * @param status the response status (0 for a request)
 * @param schema where the schema that failed lives: file and JSON pointer
 * @param errors what failed, one line per error, each naming the JSON location
 */
public record SpecViolation(Direction direction, String method, String path, int status, String schema,
        List<String> errors) {

    /** Copies the errors. */
    public SpecViolation {
        errors = List.copyOf(errors);
    }

    /** Which way the body travelled. */
    public enum Direction {
        /** A request body the server received. */
        REQUEST,
        /** A response body the server sent. */
        RESPONSE
    }

    @Override
    public String toString() {
        return direction + " " + method + " " + path + (status == 0 ? "" : " -> " + status) + " against " + schema
                + ": " + String.join("; ", errors);
    }
}
