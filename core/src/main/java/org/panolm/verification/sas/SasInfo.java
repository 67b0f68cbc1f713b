package org.panolm.verification.sas;

/** The HKDF info strings of {@code m.sas.v1} (docs/formats.md §9.1): exact bytes, so no formatting freedom here. */
final class SasInfo {
    private SasInfo() {}

    /**
     * Info for the SAS bytes with {@code curve25519-hkdf-sha256}. "start" is the party that sent
     * {@code m.key.verification.start}; the keys are the ephemeral keys of the {@code .key} messages.
     *
     * @param startUser the user id of the side that started
     * @param startDevice its device id
     * @param startKeyBase64 its ephemeral key
     * @param acceptUser the user id of the side that accepted
     * @param acceptDevice its device id
     * @param acceptKeyBase64 its ephemeral key
     * @param flowId the flow id
     * @return the info string
     */
    public static String sasBytes(String startUser, String startDevice, String startKeyBase64, String acceptUser,
            String acceptDevice, String acceptKeyBase64, String flowId) {
        return "MATRIX_KEY_VERIFICATION_SAS|" + startUser + "|" + startDevice + "|" + startKeyBase64 + "|"
                + acceptUser + "|" + acceptDevice + "|" + acceptKeyBase64 + "|" + flowId;
    }

    /**
     * The info prefix of the MAC phase; "sender" is the party that computes and sends the MAC.
     *
     * @param senderUser the user id of the MAC's sender
     * @param senderDevice its device id
     * @param receiverUser the user id of the MAC's receiver
     * @param receiverDevice its device id
     * @param flowId the flow id
     * @return the info prefix; the key id (or {@link #KEY_IDS}) is appended
     */
    public static String macBase(String senderUser, String senderDevice, String receiverUser, String receiverDevice,
            String flowId) {
        return "MATRIX_KEY_VERIFICATION_MAC" + senderUser + senderDevice + receiverUser + receiverDevice + flowId;
    }

    /** The suffix of the info string for the MAC of the key id list. */
    public static final String KEY_IDS = "KEY_IDS";
}
