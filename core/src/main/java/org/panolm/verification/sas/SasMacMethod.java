package org.panolm.verification.sas;

import java.util.Optional;

/**
 * The MAC methods of {@code m.sas.v1}. All derive the HMAC key with HKDF from the shared secret; they differ
 * in the key length and in how the MAC is written as text.
 */
public enum SasMacMethod {
    /** The current method: correct unpadded base64. */
    HKDF_HMAC_SHA256_V2("hkdf-hmac-sha256.v2", false, 32),
    /** The same as v2 under its MSC3783 name, which some rust-sdk versions still send. */
    MSC3783("org.matrix.msc3783.hkdf-hmac-sha256", false, 32),
    /**
     * Legacy: libolm encoded the MAC's base64 in place over its own input, so the text is mangled
     * (docs/formats.md §9.1). Only for peers that offer nothing newer.
     */
    HKDF_HMAC_SHA256("hkdf-hmac-sha256", true, 32),
    /** Older still: a 256-byte HKDF output as HMAC key, with the same mangled encoding. */
    HMAC_SHA256_LONG_KDF("hmac-sha256", true, 256);

    private final String wireName;
    private final boolean mangledBase64;
    private final int keyLength;

    SasMacMethod(String wireName, boolean mangledBase64, int keyLength) {
        this.wireName = wireName;
        this.mangledBase64 = mangledBase64;
        this.keyLength = keyLength;
    }

    /**
     * The method's name in {@code message_authentication_codes}.
     *
     * @return the wire name
     */
    public String wireName() {
        return wireName;
    }

    boolean mangledBase64() {
        return mangledBase64;
    }

    int keyLength() {
        return keyLength;
    }

    /**
     * The method of a wire name.
     *
     * @param name a wire name
     * @return the method, or empty for one this library does not support
     */
    public static Optional<SasMacMethod> fromWireName(String name) {
        for (SasMacMethod m : values()) {
            if (m.wireName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
