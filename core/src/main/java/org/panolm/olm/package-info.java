/**
 * Olm ({@code m.olm.v1.curve25519-aes-sha2}) through libolm: {@link org.panolm.olm.Account},
 * {@link org.panolm.olm.Session}, and libolm's SAS ({@link org.panolm.olm.Sas}).
 *
 * <p>Every class that owns native memory is {@link java.lang.AutoCloseable}: {@code close()} wipes its
 * keys with libolm's clear function and frees the memory; it is idempotent, and any later call throws
 * {@link java.lang.IllegalStateException}. A forgotten object is cleaned when it becomes unreachable,
 * but only as a safety net. All these classes are thread-safe: their methods are synchronized on the
 * object (an operation on a session and an account locks the account first).
 *
 * <p>Keys and messages cross the API as bytes; Matrix's unpadded base64 appears only in the
 * {@code *Base64} accessors and factories. Failures are {@link org.panolm.olm.OlmException}s carrying
 * libolm's {@link org.panolm.olm.OlmError} and the closest {@link org.panolm.Status}, or plain
 * {@link org.panolm.PanolmException}s for input panolm refuses before libolm sees it (wrong key sizes,
 * low-order Curve25519 keys, malformed base64, non-strict padding).
 *
 * <p>libolm is deprecated upstream; panolm uses it for Olm sessions and as an independent reference.
 */
package org.panolm.olm;
