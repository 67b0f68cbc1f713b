package org.panolm.benchmarks.megolm;

/** One Megolm sender under test. Not thread-safe. */
public interface MessageEncryptor extends AutoCloseable {
    /** Encrypts one message; returns the base64 length (what the benchmark consumes). */
    long encrypt(byte[] plaintext) throws Exception;

    /** Encrypts one message and returns its base64, for the smoke test. */
    byte[] encryptToBytes(byte[] plaintext) throws Exception;

    /** The signed session key at the current index. */
    String sessionKey() throws Exception;

    @Override
    void close();
}
