package org.panolm.ssss;

/** Names of the well-known secrets (account-data event types); each plaintext is base64 of 32 bytes. */
public final class SecretName {
    private SecretName() {}

    /** The backup's Curve25519 private key. */
    public static final String MEGOLM_BACKUP_V1 = "m.megolm_backup.v1";
    /** The Ed25519 seeds of the three cross-signing keys. */
    public static final String CROSS_SIGNING_MASTER = "m.cross_signing.master";
    /** The Ed25519 seed of the self-signing key. */
    public static final String CROSS_SIGNING_SELF_SIGNING = "m.cross_signing.self_signing";
    /** The Ed25519 seed of the user-signing key. */
    public static final String CROSS_SIGNING_USER_SIGNING = "m.cross_signing.user_signing";

    /** The four secrets above. */
    public static final java.util.List<String> WELL_KNOWN = java.util.List.of(
            MEGOLM_BACKUP_V1, CROSS_SIGNING_MASTER, CROSS_SIGNING_SELF_SIGNING, CROSS_SIGNING_USER_SIGNING);
}
