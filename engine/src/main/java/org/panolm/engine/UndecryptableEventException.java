package org.panolm.engine;

import org.jspecify.annotations.Nullable;
import org.panolm.Status;

/** No held room key decrypts a room event; says why as data. */
public final class UndecryptableEventException extends EngineException {
    /** The event. */
    private final String eventId;
    /** Its Megolm session. */
    private final String sessionId;
    /** The sender's withheld code, or null. */
    private final @Nullable WithheldCode withheld;
    /** How the held keys failed, or null. */
    private final @Nullable Status failure;

    UndecryptableEventException(String eventId, String sessionId, @Nullable WithheldCode withheld,
                                @Nullable Status failure) {
        super("event " + eventId + " of session " + sessionId + " cannot be decrypted: "
                + (failure != null ? "the held keys fail with " + failure
                : withheld != null ? "the sender withheld the key (" + withheld.code() + ")" : "no key for the session"));
        this.eventId = eventId;
        this.sessionId = sessionId;
        this.withheld = withheld;
        this.failure = failure;
    }

    /**
     * The event.
     *
     * @return its id
     */
    public String eventId() {
        return eventId;
    }

    /**
     * The Megolm session it was encrypted with.
     *
     * @return the session id
     */
    public String sessionId() {
        return sessionId;
    }

    /**
     * Why the sender withheld the key, when it said.
     *
     * @return the code, or null
     */
    public @Nullable WithheldCode withheld() {
        return withheld;
    }

    /**
     * How the held keys failed, when there are keys for the session (an index before theirs, a bad MAC, ...).
     *
     * @return the status, or null when no key is held
     */
    public @Nullable Status failure() {
        return failure;
    }
}
