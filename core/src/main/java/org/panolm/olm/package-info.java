/**
 * Olm ({@code m.olm.v1.curve25519-aes-sha2}) on panolm's native code (OpenSSL and libsodium):
 * {@link org.panolm.olm.Account}, {@link org.panolm.olm.Session}, and {@link org.panolm.olm.BatchEncryption}
 * for sharing one payload with many devices in one call. Byte-compatible with libolm and vodozemac;
 * reads libolm's pickles (so stores made with libolm migrate) and writes panolm's own.
 *
 * <p>Every class that owns native memory is {@link java.lang.AutoCloseable}: {@code close()} wipes its
 * keys and frees the memory; it is idempotent, and any later call throws
 * {@link java.lang.IllegalStateException}. A forgotten object is cleaned when it becomes unreachable, but
 * only as a safety net. All these classes are thread-safe: the native objects lock themselves.
 *
 * <p>Keys are typed ({@link org.panolm.olm.Curve25519PublicKey}, {@link org.panolm.olm.Ed25519PublicKey});
 * messages are {@link org.panolm.olm.OlmMessage}s holding the binary message, whose unpadded base64 the
 * events carry. Failures are {@link org.panolm.olm.OlmException}s carrying an
 * {@link org.panolm.olm.OlmError} and the closest {@link org.panolm.Status}, or plain
 * {@link org.panolm.PanolmException}s for arguments refused before any cryptography.
 */
@NullMarked
package org.panolm.olm;

import org.jspecify.annotations.NullMarked;
