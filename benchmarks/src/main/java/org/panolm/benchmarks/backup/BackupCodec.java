package org.panolm.benchmarks.backup;

import org.panolm.benchmarks.support.BackupCiphertext;

/** One implementation of backup encryption (for the public key) and decryption (with the private key). */
public interface BackupCodec extends AutoCloseable {
    /** Encrypts one session's JSON; returns a length the benchmark consumes. */
    long encrypt(byte[] json) throws Exception;

    /** Decrypts the {@code i}-th prepared ciphertext; returns the plaintext length. */
    long decrypt(int i) throws Exception;

    /** Full results, for the smoke test. */
    BackupCiphertext encryptToParts(byte[] json) throws Exception;

    byte[] decryptToBytes(BackupCiphertext c) throws Exception;

    @Override
    void close();
}
