package org.panolm.verification.sas;

/** The HKDF info strings of {@code m.sas.v1} (docs/formats.md §9.1): exact bytes, so no formatting freedom here. */
public final class SasInfo {
    private SasInfo() {}

    /**
     * Info for the SAS bytes with {@code curve25519-hkdf-sha256}. "start" is the party that sent
     * {@code m.key.verification.start}; the keys are the ephemeral keys of the {@code .key} messages.
     */
    public static String sasBytes(String startUser, String startDevice, String startKeyBase64, String acceptUser,
            String acceptDevice, String acceptKeyBase64, String flowId) {
        return "MATRIX_KEY_VERIFICATION_SAS|" + startUser + "|" + startDevice + "|" + startKeyBase64 + "|"
                + acceptUser + "|" + acceptDevice + "|" + acceptKeyBase64 + "|" + flowId;
    }

    /** The info prefix of the MAC phase; "sender" is the party that computes and sends the MAC. */
    public static String macBase(String senderUser, String senderDevice, String receiverUser, String receiverDevice,
            String flowId) {
        return "MATRIX_KEY_VERIFICATION_MAC" + senderUser + senderDevice + receiverUser + receiverDevice + flowId;
    }

    public static final String KEY_IDS = "KEY_IDS";
}
