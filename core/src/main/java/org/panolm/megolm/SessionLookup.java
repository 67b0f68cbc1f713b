package org.panolm.megolm;

/** Finds the inbound session for a {@code session_id}; null when none is known. {@code Map::get} fits. */
@FunctionalInterface
public interface SessionLookup {
    MegolmInboundSession find(String sessionId);
}
