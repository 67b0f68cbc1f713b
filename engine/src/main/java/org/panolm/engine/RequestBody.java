package org.panolm.engine;

/**
 * The body of an outgoing request: a record of exactly the JSON the spec gives for its endpoint (opaque JSON parts,
 * such as a key object or an event content, held as JSON text). {@link OutgoingRequest#bodyJson()} gives that JSON.
 */
public sealed interface RequestBody permits KeysUploadRequest, KeysQueryRequest, KeysClaimRequest, ToDeviceRequest,
        SigningKeysUploadRequest, SignaturesUploadRequest {
    /**
     * The request type this body belongs to.
     *
     * @return the type
     */
    RequestType type();
}
