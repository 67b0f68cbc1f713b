package org.panolm.subtle;

import org.panolm.PanolmException;
import org.panolm.Status;

final class Lengths {
    private Lengths() {}

    static void require(byte[] bytes, int length, String what) {
        if (bytes == null || bytes.length != length) {
            throw new PanolmException(Status.BAD_KEY,
                    what + " must be " + length + " bytes, not " + (bytes == null ? "missing" : bytes.length));
        }
    }
}
