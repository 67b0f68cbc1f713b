package org.panolm.benchmarks.megolm;

/** One Megolm receiver under test, decrypting one base64 message per call. Not thread-safe. */
public interface MessageDecryptor extends AutoCloseable {
    /** Decrypts one message; returns the plaintext length (what the benchmark consumes). */
    long decrypt(byte[] base64Message) throws Exception;

    /** Decrypts one message and returns its plaintext, for the smoke test. */
    byte[] decryptToBytes(byte[] base64Message) throws Exception;

    /** Back to the state right after importing the session key (the ring of messages wrapped). */
    void reset() throws Exception;

    @Override
    void close();
}
