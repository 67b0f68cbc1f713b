package org.panolm.benchmarks.support;

/**
 * {@code session_data} of one backed-up key (SPEC-NOTES §2.2): the three unpadded base64 strings, as the
 * server stores them. The shape every baseline produces and consumes.
 */
public record BackupCiphertext(String ephemeral, String ciphertext, String mac) {}
