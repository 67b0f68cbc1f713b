package org.panolm.trust;

import java.util.Set;

/**
 * A room's shield with the users behind it: verified users with untrusted sessions, users whose verified
 * identity changed, and users not verified.
 *
 * @param shield the shield to show
 * @param usersWithUntrustedSessions verified users with a session we do not trust
 * @param usersWithChangedIdentity users whose verified identity changed
 * @param unverifiedUsers users we have not verified
 */
public record RoomShield(Shield shield, Set<String> usersWithUntrustedSessions, Set<String> usersWithChangedIdentity,
        Set<String> unverifiedUsers) {
    /** Copies the sets. */
    public RoomShield {
        usersWithUntrustedSessions = Set.copyOf(usersWithUntrustedSessions);
        usersWithChangedIdentity = Set.copyOf(usersWithChangedIdentity);
        unverifiedUsers = Set.copyOf(unverifiedUsers);
    }
}
