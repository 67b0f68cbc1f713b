package org.panolm.crosssigning;

import java.util.Optional;

/** The role of a cross-signing key, as its {@code usage} array names it. */
public enum KeyUsage {
    /** The user's identity; signs the other two. */
    MASTER("master"),
    /** Signs the user's own devices. */
    SELF_SIGNING("self_signing"),
    /** Signs other users' master keys. */
    USER_SIGNING("user_signing");

    private final String wireName;

    KeyUsage(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The name in a key object's {@code usage} array.
     *
     * @return the wire name
     */
    public String wireName() {
        return wireName;
    }

    /**
     * The role a wire name stands for.
     *
     * @param name the wire name
     * @return the role, or empty for an unknown name
     */
    public static Optional<KeyUsage> fromWireName(String name) {
        for (KeyUsage u : values()) {
            if (u.wireName.equals(name)) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
