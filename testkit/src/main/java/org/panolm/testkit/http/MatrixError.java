package org.panolm.testkit.http;

import tools.jackson.databind.node.ObjectNode;

/**
 * A Matrix error response: an HTTP status and the spec's {@code {"errcode", "error"}} body, plus any extra fields
 * the spec defines for that error ({@code retry_after_ms}, {@code current_version}, the UIA flows, ...).
 */
public final class MatrixError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errcode;
    private final transient ObjectNode extra;

    public MatrixError(int status, String errcode, String message) {
        this(status, errcode, message, null);
    }

    public MatrixError(int status, String errcode, String message, ObjectNode extra) {
        super(message, null, false, false);
        this.status = status;
        this.errcode = errcode;
        this.extra = extra;
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    /** The response body. */
    public ObjectNode body() {
        ObjectNode body = Json.object();
        if (errcode != null) {
            body.put("errcode", errcode);
            body.put("error", getMessage());
        }
        if (extra != null) {
            body.setAll(extra);
        }
        return body;
    }

    public static MatrixError badJson(String message) {
        return new MatrixError(400, "M_BAD_JSON", message);
    }

    public static MatrixError notJson(String message) {
        return new MatrixError(400, "M_NOT_JSON", message);
    }

    public static MatrixError invalidParam(String message) {
        return new MatrixError(400, "M_INVALID_PARAM", message);
    }

    public static MatrixError missingParam(String message) {
        return new MatrixError(400, "M_MISSING_PARAM", message);
    }

    public static MatrixError forbidden(String message) {
        return new MatrixError(403, "M_FORBIDDEN", message);
    }

    public static MatrixError notFound(String message) {
        return new MatrixError(404, "M_NOT_FOUND", message);
    }

    public static MatrixError unrecognized(String message) {
        return new MatrixError(404, "M_UNRECOGNIZED", message);
    }
}
