package org.panolm.client;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A request to the homeserver that failed, as data: the endpoint (method and path, never a query or a token),
 * what kind of failure, and for an error answer the HTTP status, the Matrix {@code errcode} and the server's
 * {@code error} text.
 */
public final class MatrixApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The server answered with an error status. */
        HTTP_ERROR,
        /** No answer within the request timeout. */
        TIMEOUT,
        /** The connection failed or was closed before an answer. */
        TRANSPORT,
        /** The server answered success with a body that is not what the endpoint returns. */
        BAD_RESPONSE
    }

    /** The kind of failure. */
    private final Kind kind;
    /** The method and path. */
    private final String endpoint;
    /** The HTTP status, or 0. */
    private final int status;
    /** The Matrix error code, or null. */
    private final @Nullable String errcode;
    /** The server's error text, or null. */
    private final @Nullable String serverError;
    private final transient @Nullable Duration retryAfter;
    /** The error answer's JSON object, as text, or null. */
    private final transient @Nullable String body;

    MatrixApiException(Kind kind, String endpoint, int status, @Nullable String errcode, @Nullable String serverError,
                       @Nullable Duration retryAfter, @Nullable String body, @Nullable Throwable cause) {
        super(message(kind, endpoint, status, errcode, serverError), cause);
        this.kind = kind;
        this.endpoint = endpoint;
        this.status = status;
        this.errcode = errcode;
        this.serverError = serverError;
        this.retryAfter = retryAfter;
        this.body = body;
    }

    /**
     * A success answer whose body lacks what the endpoint returns.
     *
     * @param endpoint the method and path
     * @param status the status of the answer
     * @param detail which field is wrong (never a value from the body)
     * @return the exception
     */
    public static MatrixApiException badResponse(String endpoint, int status, String detail) {
        return new MatrixApiException(Kind.BAD_RESPONSE, endpoint, status, null, detail, null, null, null);
    }

    private static String message(Kind kind, String endpoint, int status, @Nullable String errcode,
                                  @Nullable String serverError) {
        return switch (kind) {
            case HTTP_ERROR -> endpoint + ": " + status + (errcode != null ? " " + errcode : "")
                    + (serverError != null ? " (" + serverError + ")" : "");
            case TIMEOUT -> endpoint + ": no answer within the timeout";
            case TRANSPORT -> endpoint + ": connection failed or closed before an answer";
            case BAD_RESPONSE -> endpoint + ": " + status + " with an unexpected body"
                    + (serverError != null ? " (" + serverError + ")" : "");
        };
    }

    /**
     * The kind of failure.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The method and path that failed, such as {@code GET /_matrix/client/v3/account/whoami}.
     *
     * @return the endpoint
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * The HTTP status, or 0 when there was no answer.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * The Matrix error code ({@code M_NOT_FOUND}, {@code M_WRONG_ROOM_KEYS_VERSION}, ...), if the answer had one.
     *
     * @return the code
     */
    public Optional<String> errcode() {
        return Optional.ofNullable(errcode);
    }

    /**
     * The {@code error} text of the answer, if any.
     *
     * @return the text
     */
    public Optional<String> serverError() {
        return Optional.ofNullable(serverError);
    }

    /**
     * How long a {@code 429} asked the client to wait, if it did.
     *
     * @return the wait
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * The body of an error answer (for fields such as {@code current_version}), if it was a JSON object.
     *
     * @return the body, JSON text
     */
    public Optional<String> body() {
        return Optional.ofNullable(body);
    }

    /**
     * True for an error answer with this errcode.
     *
     * @param code a Matrix error code
     * @return whether this failure carries it
     */
    public boolean is(String code) {
        return code.equals(errcode);
    }
}
