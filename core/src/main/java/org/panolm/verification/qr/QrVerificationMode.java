package org.panolm.verification.qr;

import java.util.Optional;

/** The mode byte of a verification QR code: who shows it, and what its two keys are (docs/formats.md §9.2). */
public enum QrVerificationMode {
    /** Verifying another user: key1 = the shower's master key, key2 = what it believes the scanner's master key is. */
    VERIFYING_ANOTHER_USER(0x00),
    /** Self-verification shown by a device that trusts the master key: key1 = master key, key2 = what it believes the scanning device's key is. */
    SELF_VERIFYING_MASTER_KEY_TRUSTED(0x01),
    /** Self-verification shown by a device that does not trust the master key yet: key1 = its own device key, key2 = what it believes the master key is. */
    SELF_VERIFYING_MASTER_KEY_UNTRUSTED(0x02);

    private final int code;

    QrVerificationMode(int code) {
        this.code = code;
    }

    /**
     * The mode byte.
     *
     * @return 0, 1 or 2
     */
    public int code() {
        return code;
    }

    /**
     * The mode of a mode byte.
     *
     * @param code the byte
     * @return the mode, or empty for an unknown byte
     */
    public static Optional<QrVerificationMode> fromCode(int code) {
        for (QrVerificationMode m : values()) {
            if (m.code == code) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
