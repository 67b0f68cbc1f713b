package org.panolm.client.sync;

import org.jspecify.annotations.Nullable;
import org.panolm.engine.RequestType;

/**
 * A request of the engine the homeserver did not accept. It stays in the engine's queue and is sent again by the
 * next round.
 *
 * @param requestId the engine's request id
 * @param type what the request does
 * @param status the HTTP status, or 0 when there was no answer
 * @param errcode the server's {@code errcode}, or null
 */
public record RequestFailure(String requestId, RequestType type, int status, @Nullable String errcode) {}
