package org.panolm.crosssigning;

import java.util.List;

/**
 * Whether a key-backup version's {@code auth_data} is trusted, and why. {@code trustedBy} lists the key ids
 * (of the user's master key or verified devices) whose valid signatures make it trusted; {@code findings}
 * says, per signature, why it did or did not count.
 */
public record BackupTrust(boolean trusted, List<String> trustedBy, List<String> findings) {
    public BackupTrust {
        trustedBy = List.copyOf(trustedBy);
        findings = List.copyOf(findings);
    }
}
