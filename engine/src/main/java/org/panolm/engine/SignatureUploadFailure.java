package org.panolm.engine;

import org.jspecify.annotations.Nullable;

/**
 * A signature the server refused in a {@code keys/signatures/upload} response ({@code failures}): the key stays
 * without our signature on the server, so trust that rests on it does not hold for others (nor here, after the
 * next keys/query).
 *
 * @param userId the user whose key we signed
 * @param keyId the key: a device id, or a cross-signing public key
 * @param errcode the server's error code (such as {@code M_INVALID_SIGNATURE}), or null when it gave none
 * @param error the server's message, or null
 */
public record SignatureUploadFailure(String userId, String keyId, @Nullable String errcode, @Nullable String error) {}
