package org.panolm.engine;

import org.jspecify.annotations.Nullable;

/** Why a room key was not shared with a device ({@code m.room_key.withheld}'s {@code code}). */
public enum WithheldCode {
    /** The device is blacklisted. */
    BLACKLISTED("m.blacklisted"),
    /** The device is not verified and the room shares only with verified devices. */
    UNVERIFIED("m.unverified"),
    /** No Olm session could be established with the device (it has no one-time key left). */
    NO_OLM("m.no_olm"),
    /** The sender does not share keys with this user (e.g. they were not in the room). */
    UNAUTHORISED("m.unauthorised"),
    /** The sender does not have the key. */
    UNAVAILABLE("m.unavailable");

    private final String code;

    WithheldCode(String code) {
        this.code = code;
    }

    /**
     * The code on the wire.
     *
     * @return e.g. {@code m.unverified}
     */
    public String code() {
        return code;
    }

    /**
     * The code of a wire value.
     *
     * @param code the wire value
     * @return the code, or null for an unknown one
     */
    public static @Nullable WithheldCode of(String code) {
        for (WithheldCode c : values()) if (c.code.equals(code)) return c;
        return null;
    }
}
