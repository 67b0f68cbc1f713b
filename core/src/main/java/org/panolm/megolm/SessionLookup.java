package org.panolm.megolm;

/** Finds the inbound session for a {@code session_id}; null when none is known. {@code Map::get} fits. */
@FunctionalInterface
public interface SessionLookup {
    /**
     * The session with this id.
     *
     * @param sessionId the session id of an event
     * @return the session, or null when none is known
     */
    MegolmInboundSession find(String sessionId);
}
