package org.panolm.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

import org.panolm.ErrorDetail;
import org.panolm.PanolmException;
import org.panolm.client.MatrixApiException;
import org.panolm.engine.store.StoreException;
import org.panolm.export.InvalidRoomKeyException;

/**
 * The one place the CLI turns an exception into the words it prints. panolm's own errors are described
 * from their data ({@link PanolmException#status()}, {@link PanolmException#detail()}), never from their
 * message text, so a reworded message cannot change what the CLI decides or prints. Only exceptions that
 * carry nothing but text (the JDK's I/O errors, picocli's usage errors, a missing native library) are
 * described by their message, and only here.
 */
public final class Errors {
    private Errors() {}

    /**
     * A panolm error as {@code STATUS: <detail>}.
     *
     * @param e the error
     * @return one line, without key material
     */
    public static String describe(PanolmException e) {
        return e.status().name() + ": " + e.detail().describe();
    }

    /**
     * What is wrong with one key (its field and problem), without the room and session the caller
     * already names; other errors as {@link #describe(PanolmException)}.
     *
     * @param e the error about a key
     * @return e.g. {@code session_data.mac is missing}
     */
    public static String keyProblem(PanolmException e) {
        if (e instanceof InvalidRoomKeyException) {
            ErrorDetail d = e.detail();
            return d.field() == null ? d.reason() : d.field() + " " + d.reason();
        }
        return describe(e);
    }

    /**
     * A file-system error in words: the common cases said plainly, the others as the JDK says them.
     *
     * @param e the error
     * @return one line
     */
    public static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * Any exception a command let through, in words: panolm's and the CLI's own from their data.
     *
     * @param e the exception
     * @return one line
     */
    public static String describe(Throwable e) {
        if (e instanceof PanolmException p) {
            return describe(p);
        }
        if (e instanceof CliException c) {
            return c.line();
        }
        if (e instanceof IOException io) {
            return describe(io);
        }
        if (e instanceof MatrixApiException m) {
            return describe(m);
        }
        if (e instanceof StoreException s) {
            return describe(s);
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * A homeserver's refusal (or no answer) from its data: the endpoint, the status, the {@code errcode} and the
     * server's own words.
     *
     * @param e the error
     * @return e.g. {@code the homeserver refused POST /_matrix/client/v3/login: 403 M_FORBIDDEN (Invalid password)}
     */
    public static String describe(MatrixApiException e) {
        return switch (e.kind()) {
            case HTTP_ERROR -> "the homeserver refused " + e.endpoint() + ": " + e.status()
                    + e.errcode().map(c -> " " + c).orElse("") + e.serverError().map(m -> " (" + m + ")").orElse("");
            case TIMEOUT -> "the homeserver did not answer " + e.endpoint() + " in time";
            case TRANSPORT -> "cannot reach the homeserver for " + e.endpoint();
            default -> "the homeserver's answer to " + e.endpoint() + " is not usable"
                    + e.serverError().map(m -> ": " + m).orElse("");
        };
    }

    /**
     * A device store's failure from its reason.
     *
     * @param e the error
     * @return one line
     */
    public static String describe(StoreException e) {
        return switch (e.reason()) {
            case WRONG_KEY -> "the store passphrase is wrong (or the store is damaged)";
            case LOCKED -> "the store is in use by another panolm process";
            case NEWER_SCHEMA -> "the store was written by a newer panolm";
            case CORRUPT -> "the store is damaged";
            default -> "the store failed: " + e.getMessage();
        };
    }
}
