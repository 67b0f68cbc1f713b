package org.panolm.internal;

import org.panolm.PanolmException;
import org.panolm.Status;

/** Turns a native status code into a {@link PanolmException} naming what failed. */
public final class NativeStatus {
    private NativeStatus() {}

    /**
     * Throws unless {@code code} is {@code PANOLM_OK}.
     *
     * @param code a status libpanolm returned
     * @param context names what was attempted, for the message
     * @throws PanolmException carrying the status, for any other code
     */
    public static void check(int code, String context) {
        if (code != 0) {
            throw new PanolmException(Status.fromCode(code), context);
        }
    }
}
