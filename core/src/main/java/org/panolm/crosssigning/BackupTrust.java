package org.panolm.crosssigning;

import java.util.List;

/**
 * Whether a key-backup version's {@code auth_data} is trusted, and why. {@code trustedBy} lists the key ids
 * (of the user's master key or verified devices) whose valid signatures make it trusted; {@code findings}
 * says, per signature, why it did or did not count.
 *
 * @param trusted whether the backup is trusted
 * @param trustedBy the ids of the keys whose signatures count
 * @param findings why each signature did or did not count
 */
public record BackupTrust(boolean trusted, List<String> trustedBy, List<String> findings) {
    /** Copies the lists. */
    public BackupTrust {
        trustedBy = List.copyOf(trustedBy);
        findings = List.copyOf(findings);
    }
}
